/** The storage module the upload scale suite's server process loads: S3 from the `S3_*` variables. */
import { storageS3 } from "../src/index.ts";

export default storageS3({ prefix: "scale/" });
