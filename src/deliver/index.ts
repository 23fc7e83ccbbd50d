// The delivery module's surface: hand sealed token strings to the teams' own secret stores.
export { captureSealed } from './capture-sealed.js';
export { checkDeliveryPrograms } from './check-delivery-programs.js';
export type { MissingProgram } from './check-delivery-programs.js';
export { checkPlanDeliveries, deliveryTargetsOf } from './check-plan-deliveries.js';
export { runDeliveries } from './run-deliveries.js';
export { runDelivery } from './run-delivery.js';
export { selectDeliveries } from './select-deliveries.js';
export { loadFileDeliveries } from './load-file-deliveries.js';
export type * from './types.js';
