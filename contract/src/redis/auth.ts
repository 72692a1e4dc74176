import type { RedisOptions } from 'ioredis';
import { z } from 'zod';

/**
 * How both halves authenticate to Redis when the credentials are not in REDIS_URL: the chart
 * mounts the password from redis.passwordSecret (REDIS_PASSWORD) and names an ACL user with
 * redis.username (REDIS_USERNAME); without a username, AUTH is for the default user.
 */
export const RedisAuthEnv = {
  REDIS_USERNAME: z.string().min(1).optional(),
  REDIS_PASSWORD: z.string().min(1).optional(),
};

export interface RedisAuth {
  REDIS_USERNAME?: string | undefined;
  REDIS_PASSWORD?: string | undefined;
}

export function redisAuthOptions(auth: RedisAuth): Pick<RedisOptions, 'username' | 'password'> {
  return {
    ...(auth.REDIS_USERNAME ? { username: auth.REDIS_USERNAME } : {}),
    ...(auth.REDIS_PASSWORD ? { password: auth.REDIS_PASSWORD } : {}),
  };
}
