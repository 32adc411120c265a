using ImagingRepo.Tracing.Privacy;

namespace ImagingRepo.Tracing.Tests.Privacy;

public class UserPseudonymizerTests
{
    [Fact]
    public void Pseudonyms_are_stable_keyed_and_idempotent()
    {
        var p = TestTraces.Pseudonymizer;
        var a = p.Pseudonymize(TestTraces.Email);
        Assert.Equal(a, p.Pseudonymize(TestTraces.Email));
        Assert.Equal(a, p.Pseudonymize(a));
        Assert.True(UserPseudonymizer.IsPseudonym(a));
        Assert.DoesNotContain("maria", a, StringComparison.OrdinalIgnoreCase);
        Assert.NotEqual(a, p.Pseudonymize(TestTraces.Username));
        Assert.NotEqual(a, new UserPseudonymizer(new byte[32]).Pseudonymize(TestTraces.Email));
    }

    [Fact]
    public void Short_keys_are_refused() =>
        Assert.Throws<ArgumentException>(() => new UserPseudonymizer(new byte[16]));
}
