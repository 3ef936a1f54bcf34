/** Outputs: stream raw samples to files (`--out json=...`, `--out csv=...`). */
export type { Output, OutputContext, OutputFactory, SampleBatch } from './types.js';
export { createOutput, registerOutput, outputNames } from './registry.js';
export { JsonOutput } from './json.js';
export { CsvOutput, CSV_HEADER, CSV_TAG_COLUMNS, CSV_TIME_FORMATS, parseCsvArg, type CsvConfig, type CsvTimeFormat } from './csv.js';
export { FileOutput } from './file-output.js';
export { BoundedFileWriter, DEFAULT_MAX_BUFFERED_BYTES } from './file-writer.js';
export { TagSetTable } from './tag-set-table.js';
