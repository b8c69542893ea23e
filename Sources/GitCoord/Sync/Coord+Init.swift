extension Coord {
    /// The fetch refspec that brings a remote's coordination data into `refs/coord-remotes/REMOTE/`.
    public static func fetchRefspec(remote: String) -> String {
        RemoteRefs(remote: remote).fetchRefspec
    }

    /// Prepares the repository: the local folder, and with `remote` the fetch refspec (added once).
    /// Returns a one-line summary of what was done.
    public func initialize(remote: String? = nil) throws(CoordError) -> String {
        Files.makeFolders(Files.join(store.localFolder, "cache"))
        guard let remote else { return "git coord ready in \(store.commonDir)" }
        guard store.config("remote.\(remote).url") != nil else {
            throw CoordError.usage("no remote named '\(remote)': add it with `git remote add \(remote) URL` first")
        }
        let spec = Coord.fetchRefspec(remote: remote)
        let key = "remote.\(remote).fetch"
        if store.configValues(key).contains(spec) {
            return "remote \(remote) already fetches refs/coord/*"
        }
        do { try store.addConfigValue(key, spec) } catch {
            throw CoordError.data("cannot add fetch refspec to \(remote)", cause: error, mend: "add it with `git config --add \(key) '\(spec)'`")
        }
        if store.config("coord.remote") == nil {
            try? store.setConfig("coord.remote", remote)
        }
        return "remote \(remote) now fetches refs/coord/* into \(RemoteRefs(remote: remote).prefix)"
    }
}
