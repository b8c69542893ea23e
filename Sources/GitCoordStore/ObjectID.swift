internal import CLibgit2

/// A git object id (SHA-1), a value type independent of any repository.
public struct ObjectID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The 20 raw bytes.
    public let bytes: [UInt8]

    init(_ oid: git_oid) {
        var copy = oid
        bytes = withUnsafeBytes(of: &copy.id) { Array($0) }
    }

    init(_ pointer: UnsafePointer<git_oid>) { self.init(pointer.pointee) }

    /// Parses 40 hexadecimal digits; nil for anything else.
    public init?(hex: String) {
        guard hex.utf8.count == 40 else { return nil }
        var oid = git_oid()
        guard git_oid_fromstrn(&oid, hex, 40) == 0 else { return nil }
        self.init(oid)
    }

    /// The all-zero id, which git uses for "no object".
    public static let zero = ObjectID(git_oid())

    public var isZero: Bool { bytes.allSatisfy { $0 == 0 } }

    var raw: git_oid {
        var oid = git_oid()
        withUnsafeMutableBytes(of: &oid.id) { dst in
            for i in 0..<min(dst.count, bytes.count) { dst[i] = bytes[i] }
        }
        return oid
    }

    /// Calls `body` with a pointer to the C form of this id.
    @discardableResult
    func withRaw<R, E: Error>(_ body: (UnsafePointer<git_oid>) throws(E) -> R) throws(E) -> R {
        var oid = raw
        return try body(&oid)
    }

    /// 40 lowercase hexadecimal digits.
    public var hex: String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(40)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    public var description: String { hex }

    public static func < (lhs: ObjectID, rhs: ObjectID) -> Bool {
        lhs.bytes.lexicographicallyPrecedes(rhs.bytes)
    }

    /// The id git gives `data` stored as a blob (`git hash-object --stdin`), computed without a
    /// repository.
    public static func hashBlob(_ data: [UInt8]) -> ObjectID {
        Libgit2.ensureInitialized()
        var oid = git_oid()
        data.withUnsafeBytes { buf in
            _ = git_odb_hash(&oid, buf.baseAddress, buf.count, GIT_OBJECT_BLOB)
        }
        return ObjectID(oid)
    }
}
