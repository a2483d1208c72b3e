import type { ContractCheck } from '../check.ts';
import { authChecks } from './auth.ts';
import { createChecks } from './create.ts';
import { deleteChecks } from './delete.ts';
import { headerChecks } from './headers.ts';
import { listChecks } from './list.ts';
import { rateLimitChecks } from './rate-limit.ts';
import { retrieveChecks } from './retrieve.ts';
import { scopesChecks } from './scopes.ts';
import { temporaryChecks } from './temporary.ts';
import { updateChecks } from './update.ts';

/** Every check, in run order (the rate-limit check last: it spends the window). */
export const contractChecks: readonly ContractCheck[] = [
  ...scopesChecks,
  ...retrieveChecks,
  ...authChecks,
  ...createChecks,
  ...temporaryChecks,
  ...listChecks,
  ...updateChecks,
  ...deleteChecks,
  ...headerChecks,
  ...rateLimitChecks,
];
