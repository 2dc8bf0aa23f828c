// Tests of ModelSpecRuntime.
