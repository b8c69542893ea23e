import ArgumentParser

extension GitCoordCommand {
    static let syncCommands: [any ParsableCommand.Type] = []
}
