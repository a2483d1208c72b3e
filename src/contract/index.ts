/** The contract suite: run it programmatically, list its checks, render its reports. */
export { runContract } from './run-contract.ts';
export { listChecks } from './catalogue.ts';
export { conditionCoverage, type ConditionCoverage } from './coverage.ts';
export { documentedStatements, statementCoverage, type DocumentedStatement, type StatementCoverage } from './statements.ts';
export { documentedConditions, documentedConditionIds, type DocumentedCondition } from './document.ts';
export { ContractUsageError, MissingCapabilityError, ServerUnreachableError } from './errors.ts';
export { errorReport } from './error-report.ts';
export { renderHuman, createHumanProgress, type HumanProgressOptions } from './reporters/human.ts';
export { renderJson } from './reporters/json.ts';
export { renderJunit } from './reporters/junit.ts';
export type * from './types.ts';
