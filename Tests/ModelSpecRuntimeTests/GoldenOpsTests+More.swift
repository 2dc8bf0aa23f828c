import Foundation
import Testing
@testable import ModelSpecRuntime

extension GoldenOpsTests {
    static let moreOps = [
        "softmax", "logSoftmax", "reshape", "flatten", "transpose", "concat",
        "reduceSum", "reduceMean", "reduceMax", "conv2d", "maxPool2d", "avgPool2d",
        "batchNormalization", "moments", "gather", "dropout",
    ]

    static func evaluateMore(_ c: GoldenCase) throws -> [String: Tensor] {
        switch c.op {
        case "softmax": return ["y": try softmax(c.input("x"), axis: c.int("axis"))]
        case "logSoftmax": return ["y": try logSoftmax(c.input("x"), axis: c.int("axis"))]
        case "reshape": return ["y": try reshape(c.input("x"), c.ints("shape"))]
        case "flatten": return ["y": try flatten(c.input("x"))]
        case "transpose": return ["y": try transpose(c.input("x"), perm: c.ints("perm"))]
        case "concat":
            let parts = try c.inputs.keys.sorted().map { try c.input($0) }
            return ["y": try concat(parts, axis: c.int("axis"))]
        case "reduceSum":
            return ["y": try reduceSum(c.input("x"), axes: c.optionalInts("axes"), keepDims: c.flag("keepDims"))]
        case "reduceMean":
            return ["y": try reduceMean(c.input("x"), axes: c.optionalInts("axes"), keepDims: c.flag("keepDims"))]
        case "reduceMax":
            return ["y": try reduceMax(c.input("x"), axes: c.optionalInts("axes"), keepDims: c.flag("keepDims"))]
        case "conv2d":
            return ["y": try conv2d(c.input("x"), filter: c.input("filter"), strides: c.pair("strides"),
                                    padding: c.padding(), dilations: c.pair("dilations"),
                                    bias: c.optionalInput("bias"), activation: c.activation())]
        case "maxPool2d":
            return ["y": try maxPool2d(c.input("x"), windowSize: c.pair("windowSize"), strides: c.pair("strides"),
                                       padding: c.padding())]
        case "avgPool2d":
            return ["y": try avgPool2d(c.input("x"), windowSize: c.pair("windowSize"), strides: c.pair("strides"),
                                       padding: c.padding())]
        case "batchNormalization":
            return ["y": try batchNormalization(c.input("x"), mean: c.input("mean"), variance: c.input("variance"),
                                                offset: c.optionalInput("offset"), scale: c.optionalInput("scale"),
                                                epsilon: c.float("epsilon"))]
        case "moments":
            let x = try c.input("x")
            let (mean, variance) = try moments(x, axes: Array(0..<(x.rank - 1)))
            let batch = try batchMoments(x)
            #expect(batch.mean == mean && batch.variance == variance)
            return ["mean": mean, "variance": variance]
        case "gather":
            return ["y": try gather(c.input("table"), indices: c.indices("indices"))]
        case "dropout":
            // TensorFlow's random stream is not reproduced: check the scaling on
            // TF's own kept elements, and that ours keeps or scales every element.
            let x = try c.input("x"), tfOut = try c.output()
            let rate = try c.float("rate")
            var generator = SeededGenerator(seed: 42)
            let ours = try dropout(x, rate: rate, generator: &generator)
            let scale = Float(1 / (1 - Double(rate)))
            var kept = 0
            for i in 0..<x.scalarCount {
                let v = ours.scalars[i]
                #expect(v == 0 || v == x.scalars[i] * scale)
                if v != 0 { kept += 1 }
            }
            let keptFraction = Double(kept) / Double(x.scalarCount)
            #expect(Swift.abs(keptFraction - Double(1 - rate)) < 0.04, "kept \(keptFraction)")
            // Where TF kept an element, our scaling must give TF's value exactly.
            let reconstructed = try Tensor(shape: x.shape, scalars: zip(x.scalars, tfOut.scalars).map {
                $1 == 0 ? 0 : $0 * scale
            })
            return ["y": reconstructed]
        default:
            throw GoldenError("\(c.name): no Swift evaluation for op \(c.op)")
        }
    }
}

extension GoldenCase {
    func padding() throws -> Padding {
        guard let s = attrs["padding"]?.string, let p = Padding(rawValue: s) else {
            throw GoldenError("\(name): bad padding attribute")
        }
        return p
    }
}
