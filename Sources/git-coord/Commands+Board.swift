import ArgumentParser

extension GitCoordCommand {
    static let boardCommands: [any ParsableCommand.Type] = []
}
