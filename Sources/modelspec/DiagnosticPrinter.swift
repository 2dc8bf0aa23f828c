import Foundation
import ModelSpecCompiler

/// Prints diagnostics to standard error, one per line, as compilers do.
enum DiagnosticPrinter {
    static func print(_ diagnostics: [Diagnostic]) {
        for diagnostic in diagnostics {
            FileHandle.standardError.write(Data((diagnostic.description + "\n").utf8))
        }
    }
}
