// Placeholder until the first real file of TensorBundle lands.
