import { z } from 'zod';
import { isUniqueViolation } from '../../../contract/src/mongo-errors.ts';
import {
  AccountStatus,
  generatePassword,
  hashPassword,
  normaliseEmail,
  Role,
  verifyPassword,
} from '../../../contract/src/tenant-db/index.ts';
import { endSessions } from '../auth/sessions.ts';
import { ApiProblem } from '../errors/catalogue.ts';
import { etag, IfMatchHeader, updateVersioned } from '../http/etag.ts';
import { listQuery, paginate } from '../http/pagination.ts';
import { createOnce } from '../http/request-ids.ts';
import { defineRoute, type RouteSpec } from '../http/route.ts';
import type { RouteDeps } from '../http/route-deps.ts';
import { presentUser, UserSchema } from './present.ts';

// The pattern z.email() checks, declared as a plain pattern so the document carries the very rule
// the server applies (a `format: email` validator accepts and refuses other addresses).
const Email = z.string().regex(z.regexes.email).max(254);
const Password = z.string().min(12).max(1024).meta({ description: 'At least 12 characters' });

const UserCreate = z.strictObject({
  email: Email,
  displayName: z.string().trim().max(200).default(''),
  role: Role,
  password: Password.optional().meta({ description: 'Omit to generate an initial password, returned once' }),
});
const UserPatch = z.strictObject({
  displayName: z.string().trim().max(200).optional(),
  role: Role.optional(),
  status: AccountStatus.optional(),
});
const PasswordChange = z.strictObject({
  currentPassword: z.string().min(1).max(1024),
  newPassword: Password,
});
const UserId = z.object({ userId: z.uuid() });

/** At most this many accounts per import: each new one costs a scrypt hash (~32 MiB, tens of ms). */
export const IMPORT_MAX = 100;
const UserImport = z
  .strictObject({
    users: z
      .array(
        z.strictObject({
          email: Email,
          displayName: z.string().trim().max(200).default(''),
          role: Role,
        }),
      )
      .min(1)
      .max(IMPORT_MAX),
  })
  .superRefine((body, ctx) => {
    const first = new Map<string, number>();
    body.users.forEach((user, index) => {
      const email = normaliseEmail(user.email);
      const earlier = first.get(email);
      if (earlier === undefined) first.set(email, index);
      else
        ctx.addIssue({
          code: 'custom',
          path: ['users', index, 'email'],
          message: `the same e-mail as users[${earlier}]`,
        });
    });
  });
const ImportResult = z
  .object({
    created: z.int(),
    existing: z.int(),
    results: z.array(
      z.object({
        index: z.int(),
        email: z.string(),
        outcome: z.enum(['created', 'exists']),
        user: UserSchema.optional(),
        initialPassword: z.string().optional(),
      }),
    ),
  })
  .meta({ id: 'UserImportResult' });

const CreatedUser = z
  .object({ user: UserSchema, initialPassword: z.string().optional() })
  .meta({ id: 'CreatedUser' });
const UserList = z.object({ items: z.array(UserSchema) }).meta({ id: 'UserList' });

export function userRoutes(deps: RouteDeps): RouteSpec[] {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/me',
      operationId: 'getMe',
      summary: 'The account of the access token',
      tag: 'users',
      access: ['admin', 'teacher', 'student'],
      allowedBeforePasswordChange: true,
      responses: { 200: { description: 'The account', schema: UserSchema } },
      handler: async (ctx) => {
        const account = await ctx.state.db.models.Account.findById(ctx.state.principal?.userId).lean();
        if (!account) throw new ApiProblem('not-found');
        ctx.set('ETag', etag(account.version));
        ctx.body = presentUser(account);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/me/password',
      // Changes the password; creates nothing a retry could duplicate.
      idempotent: false,
      operationId: 'changeMyPassword',
      summary: 'Change your password; every session (refresh and access tokens) before it ends',
      tag: 'users',
      access: ['admin', 'teacher', 'student'],
      allowedBeforePasswordChange: true,
      body: PasswordChange,
      responses: { 204: { description: 'Changed' } },
      problems: ['invalid-credentials'],
      handler: async (ctx, { body }) => {
        const { Account } = ctx.state.db.models;
        const account = await Account.findById(ctx.state.principal?.userId).lean();
        if (!account || !(await verifyPassword(body.currentPassword, account.passwordHash))) {
          throw new ApiProblem('invalid-credentials');
        }
        await Account.updateOne(
          { _id: account._id },
          {
            $set: { passwordHash: await hashPassword(body.newPassword), mustChangePassword: false },
            $inc: { version: 1, sessionEpoch: 1 },
          },
        );
        await endSessions(ctx, deps, account._id);
        ctx.status = 204;
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/users',
      operationId: 'listUsers',
      summary: 'Accounts of the tenant',
      tag: 'users',
      access: ['admin'],
      query: listQuery(['createdAt', 'email'], {
        role: Role.optional(),
        status: AccountStatus.optional(),
      }),
      responses: { 200: { description: 'A page of accounts', schema: UserList } },
      handler: async (ctx, { query }) => {
        const filter: Record<string, unknown> = {};
        if (query.role) filter.role = query.role;
        if (query.status === 'active') filter.status = { $ne: 'deactivated' };
        if (query.status === 'deactivated') filter.status = 'deactivated';
        ctx.body = await paginate(ctx, ctx.state.db.models.Account, filter, query, { present: presentUser });
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/users',
      operationId: 'createUser',
      summary:
        'Create (invite) an account; without a password, an initial one is generated and returned once',
      tag: 'users',
      access: ['admin'],
      body: UserCreate,
      responses: {
        201: { description: 'Created', schema: CreatedUser, headers: { Location: 'The new account' } },
      },
      problems: ['conflict'],
      handler: async (ctx, { body }) => {
        const { Account } = ctx.state.db.models;
        const { ids } = ctx.state;
        let initialPassword = body.password ? undefined : generatePassword();
        const passwordHash = await hashPassword(body.password ?? (initialPassword as string));
        try {
          const { record: created, existed } = await createOnce(ids, Account, {
            _id: ids.next(),
            email: normaliseEmail(body.email),
            displayName: body.displayName,
            role: body.role,
            passwordHash,
            mustChangePassword: initialPassword !== undefined,
            status: 'active',
            version: 1,
            sessionEpoch: 0,
          });
          if (existed && initialPassword) {
            // A retry of a request whose first attempt created the account and was cut off: the
            // password generated then was never shown, so the one generated now replaces it (unless
            // the account has changed since, when it is not told).
            const replaced = await Account.updateOne(
              { _id: created._id, version: 1, mustChangePassword: true },
              { $set: { passwordHash } },
            );
            if (replaced.matchedCount !== 1) initialPassword = undefined;
          }
          ctx.status = 201;
          ctx.set('Location', `/v1/users/${created._id}`);
          ctx.set('Cache-Control', 'no-store');
          ctx.body = {
            user: presentUser(created),
            ...(initialPassword ? { initialPassword } : {}),
          };
        } catch (error) {
          if (isUniqueViolation(error))
            throw new ApiProblem('conflict', { detail: 'An account with this e-mail exists' });
          throw error;
        }
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/users/import',
      operationId: 'importUsers',
      summary:
        'Create many accounts at once (a roster); accounts whose e-mail exists are left alone, so an import can be repeated',
      tag: 'users',
      access: ['admin'],
      body: UserImport,
      responses: { 200: { description: 'What happened to each row, in order', schema: ImportResult } },
      handler: async (ctx, { body }) => {
        const { Account } = ctx.state.db.models;
        // One id per row, whether it is created or not: a retry gives each row the same id again.
        const rows = body.users.map((user) => ({
          ...user,
          email: normaliseEmail(user.email),
          id: ctx.state.ids.next(),
        }));
        const existing = new Set(
          (await Account.find({ email: { $in: rows.map((r) => r.email) } }, { email: 1 }).lean()).map(
            (a) => a.email,
          ),
        );
        const fresh = rows.filter((r) => !existing.has(r.email));
        const passwords = new Map(fresh.map((r) => [r.email, generatePassword()]));
        // Two hashes at a time: scrypt runs on libuv's 4 threads, which every login shares.
        const documents = [];
        for (let i = 0; i < fresh.length; i += 2) {
          documents.push(
            ...(await Promise.all(
              fresh.slice(i, i + 2).map(async (r) => ({
                _id: r.id,
                email: r.email,
                displayName: r.displayName,
                role: r.role,
                passwordHash: await hashPassword(passwords.get(r.email) as string),
                mustChangePassword: true,
                status: 'active' as const,
                version: 1,
                sessionEpoch: 0,
              })),
            )),
          );
        }
        // Unordered: an account created meanwhile by someone else fails alone, and reads as `exists`.
        try {
          await Account.insertMany(documents, { ordered: false });
        } catch (error) {
          if (!isUniqueViolation(error)) throw error;
        }
        const inserted = new Map(
          (await Account.find({ _id: { $in: documents.map((d) => d._id) } }).lean()).map((a) => [a.email, a]),
        );
        const results = rows.map((r, index) => {
          const account = inserted.get(r.email);
          return account
            ? {
                index,
                email: r.email,
                outcome: 'created' as const,
                user: presentUser(account),
                initialPassword: passwords.get(r.email) as string,
              }
            : { index, email: r.email, outcome: 'exists' as const };
        });
        ctx.set('Cache-Control', 'no-store');
        ctx.body = {
          created: inserted.size,
          existing: rows.length - inserted.size,
          results,
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/users/{userId}',
      operationId: 'getUser',
      summary: 'One account (admins: any; others: their own)',
      tag: 'users',
      access: ['admin', 'teacher', 'student'],
      params: UserId,
      responses: { 200: { description: 'The account', schema: UserSchema } },
      handler: async (ctx, { params }) => {
        const principal = ctx.state.principal;
        if (!principal?.roles.includes('admin') && principal?.userId !== params.userId)
          throw new ApiProblem('not-found');
        const account = await ctx.state.db.models.Account.findById(params.userId).lean();
        if (!account) throw new ApiProblem('not-found');
        ctx.set('ETag', etag(account.version));
        ctx.body = presentUser(account);
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/v1/users/{userId}',
      operationId: 'updateUser',
      summary: "Change an account's name, role or status; a role change or deactivation ends its sessions",
      tag: 'users',
      access: ['admin'],
      params: UserId,
      headers: IfMatchHeader,
      body: UserPatch,
      responses: { 200: { description: 'Updated', schema: UserSchema } },
      problems: ['precondition-failed', 'precondition-required', 'conflict'],
      handler: async (ctx, { params, body }) => {
        if (
          params.userId === ctx.state.principal?.userId &&
          (body.status === 'deactivated' || (body.role && body.role !== 'admin'))
        ) {
          throw new ApiProblem('conflict', {
            detail: 'An admin cannot deactivate or demote their own account',
          });
        }
        const endsSessions = body.status === 'deactivated' || body.role !== undefined;
        const updated = await updateVersioned(
          ctx,
          ctx.state.db.models.Account,
          { _id: params.userId },
          body,
          endsSessions ? { sessionEpoch: 1 } : {},
        );
        if (endsSessions) await endSessions(ctx, deps, updated._id);
        ctx.body = presentUser(updated);
      },
    }),
  ];
}
