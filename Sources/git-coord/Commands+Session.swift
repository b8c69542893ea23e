import ArgumentParser

extension GitCoordCommand {
    static let sessionCommands: [any ParsableCommand.Type] = []
}
