/**
 * apache-arrow's IPC framing encoders (message headers, file footer and blocks), from common's one apache-arrow copy.
 *
 * Why here: the miner's positional triplets writer frames record batches itself, with apache-arrow's own encoders so
 * its files are byte for byte what apache-arrow's RecordBatchWriter writes. The schema it frames comes from this
 * package's copy, and only this package depends on apache-arrow at run time (see arrowTypes.ts), so the encoders must
 * come from the same copy.
 */
export { MetadataVersion } from 'apache-arrow';
export { FileBlock, Footer } from 'apache-arrow/ipc/metadata/file';
export {
  BufferRegion,
  FieldNode,
  Message as IpcMessage,
  RecordBatch as RecordBatchHeader,
} from 'apache-arrow/ipc/metadata/message';
