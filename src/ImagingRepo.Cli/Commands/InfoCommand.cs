using System.CommandLine;
using System.Reflection;
using Spectre.Console;

namespace ImagingRepo.Cli.Commands;

/// <summary><c>imagingrepo info</c>: the tool's version, runtime and package assemblies.</summary>
internal static class InfoCommand
{
    public static Command Create()
    {
        var command = new Command("info", "Show the tool version, the .NET runtime and the ImagingRepo assemblies it carries.");
        command.SetAction(_ =>
        {
            var table = new Table().AddColumn("Component").AddColumn("Version");
            table.AddRow("imagingrepo", Markup.Escape(InformationalVersion(typeof(InfoCommand).Assembly)));
            table.AddRow(".NET runtime", Markup.Escape(Environment.Version.ToString()));
            foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies()
                         .Where(a => a.GetName().Name?.StartsWith("ImagingRepo.", StringComparison.Ordinal) == true)
                         .OrderBy(a => a.GetName().Name, StringComparer.Ordinal))
            {
                table.AddRow(Markup.Escape(assembly.GetName().Name!), Markup.Escape(InformationalVersion(assembly)));
            }

            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }

    private static string InformationalVersion(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? assembly.GetName().Version?.ToString()
        ?? "unknown";
}
