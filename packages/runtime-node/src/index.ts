export { type NodeDatabase, openDatabase } from './database';
export { startDispatchLoop } from './dispatch-loop';
export { startGateway } from './gateway';
export { readSettings, type Settings, SettingsError } from './settings';
