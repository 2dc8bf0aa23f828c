/// Image resizing: `tf.compat.v1.image.resize` (TF1's `tf.image.resize_images`), and
/// TF2's `tf.image.resize` by `half_pixel_centers: true`.
extension OperationDeclaration {
    static let images: [OperationDeclaration] = [
        OperationDeclaration("image.resize", tensorflow: "tf.compat.v1.image.resize", operands: .one, attributes: [
            AttributeDeclaration("size", .sizes, .required, swift: "size"),
            AttributeDeclaration("method", .choice(["bilinear", "nearest"]), .defaultValue(.name("bilinear")), swift: "method"),
            AttributeDeclaration("align_corners", .bool, .defaultValue(.bool(false)), swift: "alignCorners"),
            AttributeDeclaration("half_pixel_centers", .bool, .defaultValue(.bool(false)),
                                 swift: "halfPixelCenters"),
        ], result: "NHWC: `[batch, size[0], size[1], channels]`", swift: .call("resizeImages"), types: resizeTypes) { shapes, arguments in
            let input = shapes[0]
            guard input.count == 4 else { throw ShapeMismatch(message: "image.resize needs an NHWC input of rank 4, but got shape \(input.shapeDescription)") }
            let size = try arguments.ints("size") ?? []
            guard size.count == 2, size.allSatisfy({ $0 > 0 }) else {
                throw ShapeMismatch(message: "image.resize: size \(size) must be 2 positive numbers, [height, width]")
            }
            if try arguments.bool("align_corners"), try arguments.bool("half_pixel_centers") {
                throw ShapeMismatch(message: "image.resize: align_corners and half_pixel_centers cannot both be true (TensorFlow: \"If half_pixel_centers is True, align_corners must be False.\")")
            }
            return [input[0], .known(size[0]), .known(size[1]), input[3]]
        },
    ]

    /// Nearest-neighbour resizing picks pixels, so it keeps integers; TensorFlow's bilinear resize of
    /// integers computes in float32, which a cast before it says.
    private static let resizeTypes = ValueTypes(operands: [.numbers], results: { shared, attributes in
        if ValueKind(shared).isInteger, attributes["method"] != .name("nearest") {
            throw TypeMismatch("image.resize: bilinear resizing of \(shared.rawValue) computes in float32 (TensorFlow returns float32); cast the images to float32 first, such as cast: {input: x, dtype: float32}, or use method: nearest, which keeps \(shared.rawValue)")
        }
        return [shared]
    }, differentiable: true, description: "the input's (bilinear: float32 only)")
}
