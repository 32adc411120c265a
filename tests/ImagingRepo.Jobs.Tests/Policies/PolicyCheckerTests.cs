using ImagingRepo.Jobs.Policies;
using ImagingRepo.Jobs.Specs;
using ImagingRepo.Jobs.Tests.Support;
using k8s;
using k8s.Models;

namespace ImagingRepo.Jobs.Tests.Policies;

public class PolicyCheckerTests
{
    private static readonly PolicyChecker Checker = new(new PolicyOptions());

    private static V1Job Compliant() =>
        TestData.Renderer().RenderJob(new BatchJob { Name = "job", Image = TestData.Registry + "tools/x:1", DatasetIds = ["d"] }, TestData.Workspace);

    private static IReadOnlyList<PolicyViolation> Break(Action<V1PodSpec> edit)
    {
        var job = Compliant();
        edit(job.Spec.Template.Spec);
        return Checker.Check(job, TestData.Workspace);
    }

    [Theory]
    [InlineData("disallow-privileged-containers", "spec.template.spec.containers[0].securityContext.privileged")]
    [InlineData("disallow-privilege-escalation", "spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation")]
    [InlineData("require-drop-all-capabilities", "spec.template.spec.containers[0].securityContext.capabilities.add")]
    [InlineData("require-seccomp-runtime-default", "spec.template.spec.containers[0].securityContext.seccompProfile.type")]
    [InlineData("disallow-host-namespaces", "spec.template.spec.hostNetwork")]
    [InlineData("disallow-host-path", "spec.template.spec.volumes[4].hostPath")]
    [InlineData("disallow-host-ports", "spec.template.spec.containers[0].ports[0].hostPort")]
    [InlineData("restrict-volume-types", "spec.template.spec.volumes[4].nfs")]
    [InlineData("restrict-image-registries", "spec.template.spec.containers[0].image")]
    [InlineData("require-resource-limits", "spec.template.spec.containers[0].resources.limits.memory")]
    [InlineData("require-run-as-non-root", "spec.template.spec.containers[0].securityContext.runAsUser")]
    [InlineData("require-workspace-uid-gid", "spec.template.spec.securityContext.fsGroup")]
    [InlineData("restrict-supplemental-groups", "spec.template.spec.securityContext.supplementalGroups[1]")]
    public void Each_rule_reports_the_offending_field(string rule, string path)
    {
        var violations = Break(pod =>
        {
            var c = pod.Containers[0];
            switch (rule)
            {
                case "disallow-privileged-containers": c.SecurityContext.Privileged = true; break;
                case "disallow-privilege-escalation": c.SecurityContext.AllowPrivilegeEscalation = null; break;
                case "require-drop-all-capabilities": c.SecurityContext.Capabilities.Add = ["NET_ADMIN"]; break;
                case "require-seccomp-runtime-default": c.SecurityContext.SeccompProfile = new V1SeccompProfile { Type = "Unconfined" }; break;
                case "disallow-host-namespaces": pod.HostNetwork = true; break;
                case "disallow-host-path": pod.Volumes.Add(new V1Volume { Name = "h", HostPath = new V1HostPathVolumeSource { Path = "/" } }); break;
                case "disallow-host-ports": c.Ports = [new V1ContainerPort { ContainerPort = 80, HostPort = 80 }]; break;
                case "restrict-volume-types": pod.Volumes.Add(new V1Volume { Name = "n", Nfs = new V1NFSVolumeSource { Server = "s", Path = "/" } }); break;
                case "restrict-image-registries": c.Image = "docker.io/library/ubuntu:24.04"; break;
                case "require-resource-limits": c.Resources.Limits.Remove("memory"); break;
                case "require-run-as-non-root": c.SecurityContext.RunAsUser = 0; break;
                case "require-workspace-uid-gid": pod.SecurityContext.FsGroup = 0; break;
                case "restrict-supplemental-groups": pod.SecurityContext.SupplementalGroups.Add(2099); break;
            }
        });

        Assert.Contains(violations, v => v.Rule == rule && v.Path == path && v.Object == "Job/job");
    }

    [Fact]
    public void Every_violation_is_returned_not_just_the_first()
    {
        var violations = Break(pod =>
        {
            pod.HostPID = true;
            pod.HostIPC = true;
            pod.Containers[0].SecurityContext.Privileged = true;
            pod.Containers.Add(new V1Container { Name = "sidecar", Image = "quay.io/x:1" });
        });
        string[] rules = violations.Select(v => v.Rule).Distinct().ToArray();
        Assert.Contains("disallow-host-namespaces", rules);
        Assert.Contains("disallow-privileged-containers", rules);
        Assert.Contains("restrict-image-registries", rules);
        Assert.Contains("require-resource-limits", rules);
        Assert.Contains(violations, v => v.Path == "spec.template.spec.containers[1].securityContext.allowPrivilegeEscalation");
        Assert.Equal(2, violations.Count(v => v.Rule == "disallow-host-namespaces"));
    }

    [Fact]
    public void Uid_rules_check_the_workspace_values_when_known()
    {
        var other = TestData.Workspace with { Uid = 1001, DatasetGid = 3000 };
        var violations = Checker.Check(Compliant(), other);
        Assert.Contains(violations, v => v.Rule == "require-workspace-uid-gid" && v.Path.EndsWith("runAsUser", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Rule == "restrict-supplemental-groups");
    }

    [Theory]
    [InlineData("NodePort", "spec.type")]
    [InlineData("LoadBalancer", "spec.type")]
    public void Node_ports_and_load_balancers_are_refused(string type, string path)
    {
        var service = new V1Service { Metadata = new V1ObjectMeta { Name = "s" }, Spec = new V1ServiceSpec { Type = type, ExternalIPs = ["1.2.3.4"] } };
        var violations = Checker.Check(service);
        Assert.Contains(violations, v => v.Rule == "disallow-nodeport-services" && v.Path == path);
        Assert.Contains(violations, v => v.Rule == "disallow-external-ips" && v.Path == "spec.externalIPs");
    }

    [Fact]
    public void Pods_in_other_controllers_are_found()
    {
        var pod = Compliant().Spec.Template.Spec;
        pod.Containers[0].SecurityContext.Privileged = true;
        var cron = new V1CronJob { Metadata = new V1ObjectMeta { Name = "c" }, Spec = new V1CronJobSpec { JobTemplate = new V1JobTemplateSpec { Spec = new V1JobSpec { Template = new V1PodTemplateSpec { Spec = pod } } } } };
        Assert.Contains(Checker.Check(cron, TestData.Workspace), v => v.Path == "spec.jobTemplate.spec.template.spec.containers[0].securityContext.privileged");
        var bare = new V1Pod { Metadata = new V1ObjectMeta { Name = "p" }, Spec = pod };
        Assert.Contains(Checker.Check(bare, TestData.Workspace), v => v.Path == "spec.containers[0].securityContext.privileged" && v.Object == "Pod/p");
    }

    [Fact]
    public void The_kyverno_cluster_policy_has_one_rule_per_platform_rule()
    {
        string yaml = KyvernoPolicyWriter.ToYaml(new PolicyOptions());
        Golden.Verify("kyverno-clusterpolicy.yaml", yaml);
        var parsed = new YamlDotNet.Serialization.DeserializerBuilder().Build().Deserialize<Dictionary<string, object>>(yaml);
        Assert.Equal("kyverno.io/v1", parsed["apiVersion"]);
        Assert.Equal("ClusterPolicy", parsed["kind"]);
        var spec = (Dictionary<object, object>)parsed["spec"];
        var names = ((List<object>)spec["rules"]).Cast<Dictionary<object, object>>().Select(r => (string)r["name"]).ToArray();
        Assert.Equal(PlatformPolicies.Rules.Select(r => r.Name), names);
        foreach (var rule in ((List<object>)spec["rules"]).Cast<Dictionary<object, object>>())
        {
            var validate = (Dictionary<object, object>)rule["validate"];
            Assert.False(string.IsNullOrEmpty((string)validate["message"]));
            Assert.True(validate.ContainsKey("pattern") || validate.ContainsKey("deny") || validate.ContainsKey("foreach"), (string)rule["name"]);
        }
    }
}
