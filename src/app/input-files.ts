/** The files a person names on the command line, read with the limits of store/read-file.ts. */
export { INPUT_LIMITS, InputFileError, describeBytes, readBoundedFile, readBoundedStream } from '../store/read-file.js';
