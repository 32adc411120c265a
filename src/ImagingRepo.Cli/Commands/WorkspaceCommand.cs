using System.CommandLine;
using ImagingRepo.Jobs.Workspaces;
using k8s;

namespace ImagingRepo.Cli.Commands;

/// <summary><c>imagingrepo workspace create|delete|show USER</c>: per-user workspace provisioning.</summary>
internal static class WorkspaceCommand
{
    public static Command Create()
    {
        var support = new JobsCommandSupport();
        var workspace = new Command("workspace", "Provision, show or remove a user's workspace namespace.")
        {
            support.Kubeconfig,
            support.Config,
        };

        var user = new Argument<string>("user") { Description = "platform user name" };
        var gid = new Option<long>("--dataset-gid") { Description = "the user's dataset GID", Required = true };
        var dryRun = new Option<bool>("--dry-run") { Description = "print the workspace objects as YAML and create nothing" };
        var create = new Command("create", "Create or update a user's workspace (idempotent).")
        {
            user,
            gid,
            dryRun,
        };
        create.SetAction((parse, ct) => JobsCommandSupport.RunAsync(parse, async () =>
        {
            var options = support.Options(parse);
            var request = new WorkspaceRequest(parse.GetValue(user)!, parse.GetValue(gid));
            if (parse.GetValue(dryRun))
            {
                await parse.InvocationConfiguration.Output.WriteAsync(KubernetesYaml.SerializeAll(WorkspaceManifests.Build(request, options.Workspace, options.Conventions)));
                return 0;
            }

            using var kube = support.Client(parse);
            var result = await new WorkspaceProvisioner(kube, options).ProvisionAsync(request, ct);
            await parse.InvocationConfiguration.Output.WriteLineAsync(
                $"workspace {result.Identity.Namespace}: {result.Created} created, {result.Updated} updated (uid {result.Identity.Uid}, gid {result.Identity.Gid}, dataset GID {result.Identity.DatasetGid})");
            return 0;
        }));

        var deleteUser = new Argument<string>("user") { Description = "platform user name" };
        var delete = new Command("delete", "Delete a user's workspace namespace and everything in it.");
        delete.Arguments.Add(deleteUser);
        delete.SetAction((parse, ct) => JobsCommandSupport.RunAsync(parse, async () =>
        {
            using var kube = support.Client(parse);
            bool deleted = await new WorkspaceProvisioner(kube, support.Options(parse)).DeprovisionAsync(parse.GetValue(deleteUser)!, ct);
            await parse.InvocationConfiguration.Output.WriteLineAsync(deleted ? "workspace deleted" : "no such workspace");
            return deleted ? 0 : 3;
        }));

        var showUser = new Argument<string>("user") { Description = "platform user name" };
        var show = new Command("show", "Show a user's workspace identity (namespace, uid, gid, dataset GID).");
        show.Arguments.Add(showUser);
        show.SetAction((parse, ct) => JobsCommandSupport.RunAsync(parse, async () =>
        {
            using var kube = support.Client(parse);
            var identity = await new WorkspaceProvisioner(kube, support.Options(parse)).ReadIdentityAsync(parse.GetValue(showUser)!, ct);
            await parse.InvocationConfiguration.Output.WriteLineAsync($"{identity.Namespace}: uid {identity.Uid}, gid {identity.Gid}, dataset GID {identity.DatasetGid}");
            return 0;
        }));

        workspace.Subcommands.Add(create);
        workspace.Subcommands.Add(delete);
        workspace.Subcommands.Add(show);
        return workspace;
    }
}
