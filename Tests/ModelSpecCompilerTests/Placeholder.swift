// Tests of ModelSpecCompiler.
