// Placeholder until the first real file of TFNaming lands.
