using System.CommandLine;
using ImagingRepo.Cli.Commands;

namespace ImagingRepo.Cli;

/// <summary>Builds the <c>imagingrepo</c> command tree.</summary>
internal static class CliApplication
{
    /// <summary>Creates the root command with every sub-command registered.</summary>
    public static RootCommand CreateRootCommand()
    {
        var root = new RootCommand(
            "imagingrepo: DICOM dump and de-identification, dataset hashes and traces, ONNX inference on series, in-situ Kubernetes jobs, workspaces and policy checks, " +
            "PACS query and pull, provider upload of DICOM folders into datasets, and the dataset service's catalogue (login, datasets) for cancer-imaging repositories.");

        // Keep one line per command so that features can be added without touching each other.
        root.Subcommands.Add(InfoCommand.Create());
        root.Subcommands.Add(JobsCommand.Create());
        root.Subcommands.Add(WorkspaceCommand.Create());
        root.Subcommands.Add(PolicyCommand.Create());
        root.Subcommands.Add(TraceCommand.Create());
        root.Subcommands.Add(DeidCommand.Create());
        root.Subcommands.Add(DumpCommand.Create());
        root.Subcommands.Add(InferCommand.Create());
        root.Subcommands.Add(PacsCommand.Create());
        root.Subcommands.Add(LoginCommand.Create());
        root.Subcommands.Add(DatasetsCommand.Create());
        root.Subcommands.Add(UploadCommand.Create());

        return root;
    }
}
