// ImagingRepo Quickstart: runs the main job on embedded defaults, with no server needed.
// Each feature adds its step here as it lands; see README.md.
using System.Reflection;

var version = typeof(Program).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
var workRoot = Path.Combine(Path.GetTempPath(), "imagingrepo-quickstart");

Console.WriteLine($"ImagingRepo Quickstart {version} on .NET {Environment.Version}");
Console.WriteLine();
Console.WriteLine("Embedded defaults (no servers needed):");
Console.WriteLine($"  catalogue database : SQLite at {Path.Combine(workRoot, "catalog.db")}");
Console.WriteLine($"  data lake          : local folder {Path.Combine(workRoot, "datalake")}");
Console.WriteLine($"  trace ledger       : local hash-chained file {Path.Combine(workRoot, "ledger")}");
Console.WriteLine("  inference          : ONNX Runtime on CPU");
Console.WriteLine("  Kubernetes         : manifests rendered, not submitted");
Console.WriteLine();
Console.WriteLine("Done.");

/// <summary>Entry point holder, named so the assembly version can be read.</summary>
internal sealed partial class Program;
