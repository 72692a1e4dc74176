import { createHash, randomBytes } from 'node:crypto';
import type { ParameterizedContext } from 'koa';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import {
  type AccountRecord,
  hashPassword,
  normaliseEmail,
  verifyPassword,
} from '../../../contract/src/tenant-db/index.ts';
import { ApiProblem } from '../errors/catalogue.ts';
import { defineRoute, type RouteSpec } from '../http/route.ts';
import type { RouteDeps } from '../http/route-deps.ts';
import type { TenantState } from '../tenancy/state.ts';
import { presentUser, UserSchema } from '../users/present.ts';
import { signAccessToken } from './tokens.ts';

const Login = z.strictObject({
  email: z.string().trim().max(254).meta({ example: 'admin@example.edu' }),
  password: z.string().min(1).max(1024),
});
const RefreshBody = z.strictObject({ refreshToken: z.string().min(1).max(200) });

export const TokenResponse = z
  .object({
    tokenType: z.literal('Bearer'),
    accessToken: z.string(),
    expiresIn: z.int(),
    refreshToken: z.string(),
    mustChangePassword: z.boolean(),
    user: UserSchema,
  })
  .meta({ id: 'TokenResponse' });

const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url');

// Verified against when the e-mail is unknown, so both answers take as long.
const unknownAccountHash = hashPassword(randomBytes(16).toString('hex'));

/** The session a token pair belongs to: its family, when its login happened, the account's epoch then. */
interface Session {
  familyId: string;
  /** ms since the epoch */
  authTime: number;
  sessionEpoch: number;
}

async function issueTokens(
  ctx: ParameterizedContext<TenantState>,
  deps: RouteDeps,
  account: AccountRecord,
  session: Session,
): Promise<z.infer<typeof TokenResponse>> {
  const refreshToken = `rt_${randomBytes(32).toString('base64url')}`;
  const issuedAt = deps.clock.date();
  const { RefreshToken } = ctx.state.db.models;
  // Expired tokens are of no use, not even for reuse detection: each login or rotation clears the
  // account's (TTL indexes are not portable to every MongoDB-protocol server we run on).
  await RefreshToken.deleteMany({ accountId: account._id, expiresAt: { $lte: issuedAt } });
  await RefreshToken.create({
    _id: uuidv7(),
    tokenHash: sha256(refreshToken),
    familyId: session.familyId,
    accountId: account._id,
    authTime: new Date(session.authTime),
    sessionEpoch: session.sessionEpoch,
    // Rotation renews the idle lifetime, never the family's absolute one.
    expiresAt: new Date(
      Math.min(
        issuedAt.getTime() + deps.refreshTtlSeconds * 1000,
        session.authTime + deps.refreshFamilyMaxSeconds * 1000,
      ),
    ),
    rotatedAt: null,
    revokedAt: null,
  });
  const accessToken = await signAccessToken(
    ctx.state.tenant,
    {
      userId: account._id,
      roles: [account.role],
      tokenId: uuidv7(),
      authTime: session.authTime,
      mustChangePassword: account.mustChangePassword,
    },
    { ttlSeconds: deps.accessTtlSeconds, now: issuedAt },
  );
  return {
    tokenType: 'Bearer',
    accessToken,
    expiresIn: deps.accessTtlSeconds,
    refreshToken,
    mustChangePassword: account.mustChangePassword,
    user: presentUser(account),
  };
}

async function revokeFamily(
  ctx: ParameterizedContext<TenantState>,
  familyId: string,
  now: Date,
): Promise<void> {
  await ctx.state.db.models.RefreshToken.updateMany(
    { familyId, revokedAt: null },
    { $set: { revokedAt: now } },
  );
}

export function authRoutes(deps: RouteDeps): RouteSpec[] {
  return [
    defineRoute({
      method: 'post',
      path: '/v1/auth/login',
      // Sessions: nothing to replay (a retry logs in again); their answers are secrets.
      idempotent: false,
      operationId: 'login',
      summary: 'Exchange e-mail and password for an access token and a refresh token',
      tag: 'auth',
      access: 'tenant',
      body: Login,
      responses: { 200: { description: 'Logged in', schema: TokenResponse } },
      problems: ['invalid-credentials', 'login-throttled', 'login-unavailable'],
      handler: async (ctx, { body }) => {
        const email = normaliseEmail(body.email);
        // Counted before the password is checked: a refused attempt never reaches scrypt.
        const attempt = await deps.throttle.begin(ctx.state.tenant.tenantId, email, ctx.ip);
        // The session starts when its password was read: a change committed after this read ends it.
        const authTime = deps.clock.now();
        const account = await ctx.state.db.models.Account.findOne({ email }).lean();
        // One scrypt whatever the account: unknown, deactivated and wrong answer alike, in as long.
        const valid = await verifyPassword(
          body.password,
          account?.passwordHash ?? (await unknownAccountHash),
        );
        if (!account || !valid || account.status !== 'active') throw new ApiProblem('invalid-credentials');
        await deps.throttle.succeeded(attempt);
        ctx.set('Cache-Control', 'no-store');
        ctx.body = await issueTokens(ctx, deps, account, {
          familyId: uuidv7(),
          authTime,
          sessionEpoch: account.sessionEpoch,
        });
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/auth/refresh',
      // Sessions: nothing to replay (a retry logs in again); their answers are secrets.
      idempotent: false,
      operationId: 'refreshToken',
      summary: 'Rotate a refresh token: the old one stops working; reusing it revokes its whole family',
      tag: 'auth',
      access: 'tenant',
      body: RefreshBody,
      responses: { 200: { description: 'New tokens', schema: TokenResponse } },
      problems: ['refresh-token-invalid'],
      handler: async (ctx, { body }) => {
        const { RefreshToken, Account } = ctx.state.db.models;
        const now = deps.clock.date();
        const stored = await RefreshToken.findOne({ tokenHash: sha256(body.refreshToken) }).lean();
        if (!stored || stored.expiresAt <= now) throw new ApiProblem('refresh-token-invalid');
        if (stored.rotatedAt !== null || stored.revokedAt !== null) {
          // A rotated token presented again: it was stolen or replayed. End the whole session.
          await revokeFamily(ctx, stored.familyId, now);
          throw new ApiProblem('refresh-token-invalid');
        }
        const rotated = await RefreshToken.updateOne(
          { _id: stored._id, rotatedAt: null, revokedAt: null },
          { $set: { rotatedAt: now } },
        );
        if (rotated.modifiedCount !== 1) {
          await revokeFamily(ctx, stored.familyId, now);
          throw new ApiProblem('refresh-token-invalid');
        }
        // Tokens from before families recorded their login count from their own issue.
        const session: Session = {
          familyId: stored.familyId,
          authTime: (stored.authTime ?? stored.createdAt).getTime(),
          sessionEpoch: stored.sessionEpoch ?? 0,
        };
        const account = await Account.findById(stored.accountId).lean();
        // A credential change committed before this read is seen here. One committed after it leaves
        // the new token with an old epoch (refused at its next refresh) and its access token
        // authenticated before the revocation (refused on every pod): no window either way.
        if (
          account?.status !== 'active' ||
          account.sessionEpoch !== session.sessionEpoch ||
          session.authTime + deps.refreshFamilyMaxSeconds * 1000 <= now.getTime()
        ) {
          await revokeFamily(ctx, stored.familyId, now);
          throw new ApiProblem('refresh-token-invalid');
        }
        ctx.set('Cache-Control', 'no-store');
        ctx.body = await issueTokens(ctx, deps, account, session);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/auth/logout',
      // Sessions: nothing to replay (a retry logs in again); their answers are secrets.
      idempotent: false,
      operationId: 'logout',
      summary: "Revoke a refresh token's family (the session); idempotent",
      tag: 'auth',
      access: 'tenant',
      body: RefreshBody,
      responses: { 204: { description: 'Logged out' } },
      handler: async (ctx, { body }) => {
        const stored = await ctx.state.db.models.RefreshToken.findOne({
          tokenHash: sha256(body.refreshToken),
        }).lean();
        if (stored) await revokeFamily(ctx, stored.familyId, deps.clock.date());
        ctx.status = 204;
      },
    }),
  ];
}
