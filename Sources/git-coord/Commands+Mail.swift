import ArgumentParser

extension GitCoordCommand {
    static let mailCommands: [any ParsableCommand.Type] = []
}
