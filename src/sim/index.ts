export { Simulator, type SimulatorOptions } from './server';
export type { Autoplay } from './calls';
export type { Fault } from './faults';
export { seedUsers, type SimUser } from './users';
