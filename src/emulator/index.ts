// What other folders may use of src/emulator/: they import it from here only.
export { startEmulator } from './start-emulator.js';
export type { EmulatorOptions } from './types.js';
