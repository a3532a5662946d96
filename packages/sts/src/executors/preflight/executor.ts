import { notImplemented } from '@ocp-sts/toolchain';

// Arrives with issue #4 (preflight and verify); until then the target fails and says so.
export default notImplemented('preflight', 'issue #4, preflight');
