// Placeholder until the first real file of LocatedYAML lands.
