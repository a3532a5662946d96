import { notImplemented } from '@ocp-sts/toolchain';

// Arrives with issue #3 (the pipeline on the real tools); until then the target fails and says so.
export default notImplemented('extract', 'issue #3, the pipeline on the real tools');
