import ArgumentParser

/// The `modelspec` command: checks YAML model specs, prints the variables they
/// make, and compares them with TensorFlow checkpoints.
@main
struct ModelSpecCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "modelspec",
        abstract: "Compile YAML model specs that reproduce TensorFlow 1 variable names.",
        subcommands: [InspectCommand.self]
    )
}
