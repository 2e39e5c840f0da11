// `@app/oversight`: the regulators' and operator's workspace (issue 12): incidents, risk assessment reports,
// destruction, complaints and the supervision figures. Each use case is one transaction with its ledger entry;
// the rules are in `./core` (`@app/oversight/core`) and in `@app/compliance` (the incident tables).
export * from './core/index.js';
export * from './entities/index.js';
export * from './csv.js';
export * from './complaints/complaint.service.js';
export * from './destruction/destruction.service.js';
export * from './incidents/incident.service.js';
export * from './risk-reports/risk-report.service.js';
export * from './supervision/supervision.service.js';
export * from './oversight.module.js';
