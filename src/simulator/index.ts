export { startSimulator } from './server.js';
export type {
  RequestEvent,
  RouteKey,
  RunningSimulator,
  SimulatorOptions,
  SimulatorStats,
  StartSimulatorOptions,
} from './server.js';
export { CustomerStore } from './store.js';
export type { Customer, StoredCustomer } from './store.js';
export type { FaultOptions } from './faults.js';
export type { CustomerCreateInput, CustomerUpdateData, ValidationIssue } from './schemas.js';
