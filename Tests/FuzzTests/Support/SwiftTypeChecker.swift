import Foundation

/// Type-checks generated Swift files against the built `ModelSpecRuntime`, in
/// one compiler invocation (compiling Swift is slow: once per batch, not per case).
enum SwiftTypeChecker {
    static let modules = Repo.productsFolder + "/Modules"
    static let convolutionModuleMap = Repo.productsFolder + "/CConvolution.build/module.modulemap"

    static var available: Bool {
        FileManager.default.fileExists(atPath: modules + "/ModelSpecRuntime.swiftmodule")
            && FileManager.default.fileExists(atPath: convolutionModuleMap)
    }

    /// The errors the compiler reports, by file.
    static func errors(in files: [String], folder: String) throws -> [String: [String]] {
        let openBLAS = try Subprocess.run("/usr/bin/env", ["pkg-config", "--cflags", "openblas"], in: folder)
        let includes = openBLAS.out.split(whereSeparator: \.isWhitespace).flatMap { ["-Xcc", String($0)] }
        let arguments = ["swiftc", "-typecheck", "-swift-version", "6", "-I", modules, "-I", Repo.root + "/Sources/COpenBLAS",
                         "-Xcc", "-fmodule-map-file=\(convolutionModuleMap)", "-Xcc", "-I\(Repo.root)/Sources/CConvolution/include"]
            + includes + files
        let result = try Subprocess.run("/usr/bin/env", arguments, in: folder, timeout: 300)
        var errors: [String: [String]] = [:]
        for line in result.err.split(separator: "\n") {
            guard let marker = line.range(of: ": error: ") else { continue }
            let location = line[..<marker.lowerBound]
            guard let file = files.first(where: { location.hasPrefix($0 + ":") }) else { continue }
            errors[file, default: []].append(String(line[marker.upperBound...]))
        }
        if result.ending != .exited(0) && errors.isEmpty {
            throw FuzzSetupError("swiftc failed (\(result.ending)) without an error in a generated file:\n\(result.err.prefix(2000))")
        }
        return errors
    }
}
