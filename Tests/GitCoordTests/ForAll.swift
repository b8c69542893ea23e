import PropertyBased
import Testing

/// Checks `body` on `count` generated inputs, as `propertyCheck` does, and also fails the test
/// when `body` throws.
///
/// `propertyCheck` drops an error thrown by its body without recording it (it runs the body under
/// `try?`), so there a `try` on the step under test fails nothing: a property whose every step
/// threw would pass. Here the error is recorded as an issue of the input that threw, so the test
/// fails with it, and the library shrinks that input as for any failed expectation.
///
/// ```swift
/// await forAll(count: 100, input: Gen.int(in: 0...9).array(of: 1...5)) { steps in
///     for s in steps { try apply(s) }
///     #expect(try state() == model)
/// }
/// ```
func forAll<InputValue, ResultValue>(
    count: Int = 100,
    input: Generator<ResultValue, some Sequence<InputValue>>,
    perform body: (ResultValue) async throws -> Void,
    isolation: isolated (any Actor)? = #isolation,
    sourceLocation: SourceLocation = #_sourceLocation
) async {
    await propertyCheck(count: count, input: input, perform: { value in
        do { try await body(value) } catch { Issue.record(error, "thrown by the property", sourceLocation: sourceLocation) }
    }, isolation: isolation, sourceLocation: sourceLocation)
}

/// ``forAll(count:input:perform:isolation:sourceLocation:)`` on two generators.
func forAll<InA, InB, OutA, OutB>(
    count: Int = 100,
    input g0: Generator<OutA, some Sequence<InA>>,
    _ g1: Generator<OutB, some Sequence<InB>>,
    perform body: (OutA, OutB) async throws -> Void,
    isolation: isolated (any Actor)? = #isolation,
    sourceLocation: SourceLocation = #_sourceLocation
) async {
    await forAll(count: count, input: zip(g0, g1), perform: { try await body($0.0, $0.1) },
                 isolation: isolation, sourceLocation: sourceLocation)
}

/// ``forAll(count:input:perform:isolation:sourceLocation:)`` on three generators.
func forAll<InA, InB, InC, OutA, OutB, OutC>(
    count: Int = 100,
    input g0: Generator<OutA, some Sequence<InA>>,
    _ g1: Generator<OutB, some Sequence<InB>>,
    _ g2: Generator<OutC, some Sequence<InC>>,
    perform body: (OutA, OutB, OutC) async throws -> Void,
    isolation: isolated (any Actor)? = #isolation,
    sourceLocation: SourceLocation = #_sourceLocation
) async {
    await forAll(count: count, input: zip(g0, g1, g2), perform: { try await body($0.0, $0.1, $0.2) },
                 isolation: isolation, sourceLocation: sourceLocation)
}
