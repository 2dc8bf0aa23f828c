import ArgumentParser
import Foundation

/// The `modelspec` command: checks YAML model specs, prints the variables they
/// make, compares them with TensorFlow checkpoints, and runs them with a
/// checkpoint's weights.
///
/// Exit status: 0 on success, 1 when a spec has errors (or, for `diff`, when
/// names differ; for `run`, when the checkpoint does not fit), 2 on bad usage
/// or unreadable input.
@main
struct ModelSpecCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "modelspec",
        abstract: "Compile YAML model specs that reproduce TensorFlow 1 variable names.",
        subcommands: [CheckCommand.self, NamesCommand.self, GenerateCommand.self, InspectCommand.self, DiffCommand.self, RunCommand.self,
                      TrainCommand.self, MigrateCommand.self, ConvertCommand.self, StartingWeightsCommand.self]
    )

    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
