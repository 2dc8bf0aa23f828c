// Placeholder until the first real file of ModelSpecCompiler lands.
