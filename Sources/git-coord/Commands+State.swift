import ArgumentParser

extension GitCoordCommand {
    static let stateCommands: [any ParsableCommand.Type] = []
}
