import { uploadScaleSuite } from "@lucent/conformance";

uploadScaleSuite("local disk");
