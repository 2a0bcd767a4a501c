export { Simulator, type SimulatorOptions } from './server';
export {
  assetBytes,
  assetLength,
  type AssetContent,
  type ShareOptions,
  type SimAsset,
} from './assets';
export type { Autoplay } from './calls';
export type { Fault, FaultType } from './faults';
export type { HistoryCall, HistoryOptions } from './history';
export type { OutageOptions } from './outage';
export { seedUsers, type SimUser } from './users';
export {
  DEFAULT_VARIANTS,
  presentCall,
  type AnsweredCallEvent,
  type AnsweredCallLog,
  type AnsweredDate,
  type AssetChecksum,
  type AssetEndpoint,
  type DateStyle,
  type ListOrder,
  type NotFoundForm,
  type RefreshFault,
  type UserOrder,
  type Variants,
} from './variants';
