export { pinTickMaps, tickMapsPinned } from './tick-maps.ts';
export { INLINE_BUDGET_BYTES, raiseInlineBudget } from './inline-budget.ts';
