// `@app/oversight/core`: the framework-free rules of the regulators' and operator's workspace (no Nest, no ORM):
// the life of incidents, destruction requests and complaints as transition tables, and the periods the regulations
// set. The incident levels themselves (DS 12 表2/表3) are in `@app/compliance`.
export * from './complaint-states.js';
export * from './deadlines.js';
export * from './destruction-states.js';
export * from './incident-states.js';
export * from './risk-report-terms.js';
