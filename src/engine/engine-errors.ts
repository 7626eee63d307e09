/** The error of an engine that cannot run here (missing package or addon, no GPU): a usage error, exit 2. */
import { InputError } from '../io/input-error.js';

export class BackendUnavailableError extends InputError {}
