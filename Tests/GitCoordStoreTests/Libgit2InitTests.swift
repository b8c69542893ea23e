import GitCoordStore
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// libgit2 set-up: initialization skips the CA bundle parse that libgit2's mbedTLS backend does at
/// start-up (a quarter of a short command's time), and leaves mbedTLS working for anything else.
@Suite struct Libgit2InitTests {
    static let bundle = "/etc/ssl/certs/ca-certificates.crt"

    /// True where libgit2 in this process loads its certificates with mbedTLS (Debian's libgit2).
    static var libgit2UsesMbedTLS: Bool {
        Libgit2.ensureInitialized()
        return symbol("mbedtls_x509_crt_init") != nil && access(bundle, R_OK) == 0
    }

    static func symbol(_ name: String) -> UnsafeMutableRawPointer? {
        dlsym(UnsafeMutableRawPointer(bitPattern: 0), name)  // RTLD_DEFAULT
    }

    typealias Parse = @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<CChar>?) -> Int32
    typealias Chain = @convention(c) (UnsafeMutableRawPointer?) -> Void

    @Test(.enabled(if: libgit2UsesMbedTLS, "libgit2 here does not use mbedTLS"))
    func initializationSkipsTheBundleOnceAndLaterParsesReachMbedTLS() throws {
        Libgit2.ensureInitialized()
        #expect(Libgit2.skippedCertificateLoads == 1)

        // The same entry point, called after start-up, is mbedTLS's own: a missing file is an
        // error and the real bundle parses.
        let parse = unsafeBitCast(try #require(Self.symbol("mbedtls_x509_crt_parse_file")), to: Parse.self)
        let initChain = unsafeBitCast(try #require(Self.symbol("mbedtls_x509_crt_init")), to: Chain.self)
        let freeChain = unsafeBitCast(try #require(Self.symbol("mbedtls_x509_crt_free")), to: Chain.self)
        let chain = UnsafeMutableRawPointer.allocate(byteCount: 64 * 1024, alignment: 16)
        defer { chain.deallocate() }
        initChain(chain)
        #expect(parse(chain, "/nonexistent/ca.crt") < 0)
        #expect(parse(chain, Self.bundle) >= 0)
        freeChain(chain)
        #expect(Libgit2.skippedCertificateLoads == 1)
    }
}
