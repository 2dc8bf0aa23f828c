// Placeholder until the first real file of ModelSpecRuntime lands.
