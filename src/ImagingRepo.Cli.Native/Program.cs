using System.CommandLine;
using ImagingRepo.Cli;
using ImagingRepo.Cli.Commands;

// deid and dump run here, compiled ahead of time; everything else (help and version included) is the full tool's.
if (args.Length > 0 && args[0] is "deid" or "dump")
{
    var root = new RootCommand("imagingrepo (native front): deid and dump.");
    root.Subcommands.Add(DeidCommand.Create());
    root.Subcommands.Add(DumpCommand.Create());
    return await CliInvocation.InvokeAsync(root, args).ConfigureAwait(false);
}

return FullTool.Run(args);
