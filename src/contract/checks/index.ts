import type { ContractCheck } from '../check.ts';
import { authChecks } from './auth.ts';
import { authMatrixChecks } from './auth-matrix.ts';
import { authorizationChecks } from './authorization.ts';
import { createChecks } from './create.ts';
import { deleteChecks } from './delete.ts';
import { fieldFateChecks } from './field-fates.ts';
import { headerClassChecks } from './header-classes.ts';
import { headerChecks } from './headers.ts';
import { limitChecks } from './limits.ts';
import { listChecks } from './list.ts';
import { otherAccountChecks } from './other-account.ts';
import { paginationChecks } from './pagination.ts';
import { rateLimitChecks } from './rate-limit.ts';
import { retrieveChecks } from './retrieve.ts';
import { scopesChecks } from './scopes.ts';
import { scopesEndpointChecks } from './scopes-endpoint.ts';
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
  // Derived from the statements of the sources (x-statements): they create their own tokens, so
  // they run after the checks that compare the listing with the preconditions.
  ...authMatrixChecks,
  ...authorizationChecks,
  ...limitChecks,
  ...fieldFateChecks,
  ...paginationChecks,
  ...scopesEndpointChecks,
  ...otherAccountChecks,
  ...headerClassChecks,
  ...rateLimitChecks,
];
