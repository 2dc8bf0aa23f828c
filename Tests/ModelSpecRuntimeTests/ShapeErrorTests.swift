import Testing
@testable import ModelSpecRuntime

/// Every shape error names the op and the shapes it was given.
@Suite struct ShapeErrorTests {
    func zeros(_ shape: [Int]) -> Tensor { try! Tensor.zeros(shape) }

    func message(_ body: () throws -> Any) -> String? {
        do {
            _ = try body()
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func matmulInnerDimensions() {
        #expect(message { try matmul(zeros([8, 20]), zeros([30, 10])) }
                == "matmul: shapes [8, 20] and [30, 10] do not fit: inner dimensions 20 and 30 differ")
        #expect(message { try matmul(zeros([2, 3, 4]), zeros([5, 6])) }
                == "matmul: shapes [2, 3, 4] and [5, 6] do not fit: inner dimensions 4 and 5 differ")
        #expect(message { try matmul(zeros([3]), zeros([3, 2])) }
                == "matmul: shapes [3] and [3, 2] do not fit: both operands need rank 2 or more")
        #expect(message { try matmul(zeros([2, 3, 4]), zeros([3, 4, 5])) }
                == "matmul: shapes [2, 3, 4] and [3, 4, 5] do not fit: batch dimensions [2] and [3] differ")
        #expect(message { try matmul(zeros([4, 3]), zeros([4, 5]), transposeA: true) } == nil)
    }

    @Test func broadcastingMismatch() {
        #expect(message { try zeros([2, 3]) + zeros([4]) }
                == "add: shapes [2, 3] and [4] cannot be broadcast: dimensions 3 and 4 differ")
        #expect(message { try multiply(zeros([2, 3, 4]), zeros([3, 2, 1])) }
                == "multiply: shapes [2, 3, 4] and [3, 2, 1] cannot be broadcast: dimensions 2 and 3 differ")
    }

    @Test func otherOps() {
        #expect(message { try biasAdd(zeros([2, 3]), zeros([4])) }
                == "biasAdd: shapes [2, 3] and [4] do not fit: the bias must be 1-D with the size of the last dimension")
        #expect(message { try conv2d(zeros([1, 5, 5, 3]), filter: zeros([3, 3, 2, 4])) }
                == "conv2d: shapes [1, 5, 5, 3] and [3, 3, 2, 4] do not fit: input channels 3 and filter input channels 2 differ")
        #expect(message { try conv2d(zeros([1, 2, 5, 1]), filter: zeros([3, 3, 1, 1])) }
                == "conv2d: shapes [1, 2, 5, 1] and [3, 3, 1, 1] do not fit: a 3x3 window (after dilation) is larger than the 2x5 input with VALID padding")
        #expect(message { try conv2d(zeros([5, 5, 3]), filter: zeros([3, 3, 3, 4])) }?.hasPrefix("conv2d: shapes [5, 5, 3] and [3, 3, 3, 4]") == true)
        #expect(message { try maxPool2d(zeros([1, 4, 4]), windowSize: (2, 2), strides: (2, 2)) }
                == "maxPool2d: shape [1, 4, 4] is not NHWC (rank 4)")
        #expect(message { try reshape(zeros([2, 3]), [4, -1]) }
                == "reshape: shapes [2, 3] and [4, -1] do not fit: 6 scalars cannot be split into dimensions of 4")
        #expect(message { try reshape(zeros([2, 3]), [-1, -1]) }
                == "reshape: shapes [2, 3] and [-1, -1] do not fit: only one dimension can be -1")
        #expect(message { try reshape(zeros([2, 3]), [5]) }
                == "reshape: shapes [2, 3] and [5] do not fit: 6 scalars cannot take a shape of 5")
        #expect(message { try concat([zeros([2, 3]), zeros([3, 3])], axis: 1) }
                == "concat: shapes [2, 3] and [3, 3] differ outside the concatenation axis 1")
        #expect(message { try concat([zeros([2, 3]), zeros([2, 3]), zeros([2])], axis: 0) }
                == "concat: shapes [2, 3], [2, 3], [2] differ in rank")
        #expect(message { try transpose(zeros([2, 3]), perm: [0, 0]) }
                == "transpose: shape [2, 3] cannot be permuted by [0, 0]: not a permutation of its 2 axes")
        #expect(message { try squeeze(zeros([2, 1, 3]), axes: [0]) }
                == "squeeze: shape [2, 1, 3] cannot drop axis 0: its size is 2, not 1")
        #expect(message { try reduceSum(zeros([2, 3]), axes: [2]) }
                == "reduceSum: shape [2, 3] has no axis 2 (rank 2)")
        #expect(message { try softmax(zeros([2, 3]), axis: -3) }
                == "softmax: shape [2, 3] has no axis -3 (rank 2)")
        #expect(message { try gather(zeros([4, 2]), indices: IndexTensor([1, 4])) }
                == "gather: shapes [4, 2] and [2] do not fit: index 4 at position 1 is outside [0, 4)")
        #expect(message { try Tensor(shape: [2, 2], scalars: [1, 2, 3]) }
                == "Tensor: shape [2, 2] needs 4 scalars, got 3")
        #expect(message { try dense(zeros([2, 3]), kernel: zeros([3, 4]), bias: zeros([3])) }
                == "dense: shapes [3, 4] and [3] do not fit: the bias must have shape [4]")
        var g = SeededGenerator(seed: 1)
        #expect(message { try dropout(zeros([2]), rate: 1, generator: &g) }
                == "dropout: shape [2] cannot use rate 1.0: it must be in [0, 1)")
    }

    @Test func errorCarriesOpAndShapes() throws {
        do {
            _ = try matmul(zeros([8, 20]), zeros([30, 10]))
            Issue.record("no error")
        } catch let error as TensorError {
            #expect(error.op == "matmul")
            #expect(error.shapes == [[8, 20], [30, 10]])
        }
    }
}
