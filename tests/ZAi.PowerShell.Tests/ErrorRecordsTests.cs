using System.Management.Automation;
using ZAi.PowerShell.Pipeline;
using Xunit;
using ZAi.PowerShell.Errors;

namespace ZAi.PowerShell.Tests;

public class ErrorRecordsTests
{
    private static ZAiApiException Error(ZAiErrorReason reason) => new(reason, $"Task 'abc': {reason} happened.");

    [Theory]
    [InlineData(ZAiErrorReason.AuthenticationFailed, ErrorCategory.AuthenticationError)]
    [InlineData(ZAiErrorReason.ApiKeyMissing, ErrorCategory.AuthenticationError)]
    [InlineData(ZAiErrorReason.RateLimited, ErrorCategory.LimitsExceeded)]
    [InlineData(ZAiErrorReason.InvalidRequest, ErrorCategory.InvalidArgument)]
    [InlineData(ZAiErrorReason.NotFound, ErrorCategory.ObjectNotFound)]
    [InlineData(ZAiErrorReason.ServiceUnavailable, ErrorCategory.ConnectionError)]
    [InlineData(ZAiErrorReason.ConnectionFailed, ErrorCategory.ConnectionError)]
    [InlineData(ZAiErrorReason.ServerError, ErrorCategory.InvalidResult)]
    [InlineData(ZAiErrorReason.InvalidResponse, ErrorCategory.InvalidResult)]
    [InlineData(ZAiErrorReason.Timeout, ErrorCategory.OperationTimeout)]
    [InlineData(ZAiErrorReason.QuotaExceeded, ErrorCategory.QuotaExceeded)]
    [InlineData(ZAiErrorReason.AccountProblem, ErrorCategory.PermissionDenied)]
    [InlineData(ZAiErrorReason.ContentRejected, ErrorCategory.InvalidData)]
    [InlineData(ZAiErrorReason.DuplicateRequest, ErrorCategory.ResourceExists)]
    [InlineData(ZAiErrorReason.UsageLimitReached, ErrorCategory.QuotaExceeded)]
    [InlineData(ZAiErrorReason.EndpointNotFound, ErrorCategory.ObjectNotFound)]
    [InlineData(ZAiErrorReason.SubmissionOutcomeUnknown, ErrorCategory.ResourceUnavailable)]
    [InlineData(ZAiErrorReason.TaskIdLost, ErrorCategory.ResourceExists)]
    [InlineData(ZAiErrorReason.Unknown, ErrorCategory.NotSpecified)]
    public void FromApiMapsEachReasonToItsCategory(ZAiErrorReason reason, ErrorCategory category)
    {
        var record = ErrorRecords.FromException(Error(reason), "abc");

        Assert.Equal(category, record.CategoryInfo.Category);
        Assert.Equal(category, ErrorTable.For(reason).Category);
    }

    [Theory]
    [InlineData(ZAiErrorReason.NotFound, "ZAiTaskNotFound")]
    [InlineData(ZAiErrorReason.RateLimited, "ZAiRateLimited")]
    [InlineData(ZAiErrorReason.AuthenticationFailed, "ZAiAuthenticationFailed")]
    [InlineData(ZAiErrorReason.ApiKeyMissing, "ZAiApiKeyMissing")]
    [InlineData(ZAiErrorReason.QuotaExceeded, "ZAiQuotaExceeded")]
    [InlineData(ZAiErrorReason.AccountProblem, "ZAiAccountProblem")]
    [InlineData(ZAiErrorReason.InvalidRequest, "ZAiInvalidRequest")]
    [InlineData(ZAiErrorReason.ContentRejected, "ZAiContentRejected")]
    [InlineData(ZAiErrorReason.ServerError, "ZAiServerError")]
    [InlineData(ZAiErrorReason.ServiceUnavailable, "ZAiServiceUnavailable")]
    [InlineData(ZAiErrorReason.InvalidResponse, "ZAiInvalidResponse")]
    [InlineData(ZAiErrorReason.ConnectionFailed, "ZAiConnectionFailed")]
    [InlineData(ZAiErrorReason.Timeout, "ZAiTimeout")]
    [InlineData(ZAiErrorReason.DuplicateRequest, "ZAiDuplicateRequest")]
    [InlineData(ZAiErrorReason.QueueTimeout, "ZAiQueueTimeout")]
    [InlineData(ZAiErrorReason.UsageLimitReached, "ZAiUsageLimitReached")]
    [InlineData(ZAiErrorReason.EndpointNotFound, "ZAiEndpointNotFound")]
    [InlineData(ZAiErrorReason.JournalWriteFailed, "ZAiJournalWriteFailed")]
    [InlineData(ZAiErrorReason.SubmissionOutcomeUnknown, "ZAiSubmissionOutcomeUnknown")]
    [InlineData(ZAiErrorReason.TaskIdLost, "ZAiTaskIdLost")]
    [InlineData(ZAiErrorReason.ProxyAuthenticationRequired, "ZAiProxyAuthenticationRequired")]
    [InlineData(ZAiErrorReason.ProxyConnectionFailed, "ZAiProxyConnectionFailed")]
    [InlineData(ZAiErrorReason.Unknown, "ZAiApiError")]
    public void ErrorIdsAreStable(ZAiErrorReason reason, string errorId)
    {
        var error = Error(reason);
        var record = ErrorRecords.FromException(error, "abc");

        Assert.Equal(errorId, error.ErrorId);
        Assert.Equal(errorId, record.FullyQualifiedErrorId);
    }

    [Fact]
    public void EveryReasonIsCoveredByTheStableIdTable()
    {
        // Adding a reason without a stable-id row above must fail here.
        Assert.Equal(23, Enum.GetValues<ZAiErrorReason>().Length);
    }

    [Fact]
    public void TargetObjectAndExceptionAreKept()
    {
        var target = new object();
        var error = Error(ZAiErrorReason.NotFound);

        var record = ErrorRecords.FromException(error, target);

        Assert.Same(target, record.TargetObject);
        Assert.Same(error, record.Exception);
    }

    [Theory]
    [InlineData(ZAiErrorReason.AuthenticationFailed, "Connect-ZAi")]
    [InlineData(ZAiErrorReason.ApiKeyMissing, "Get-ZAiContext")]
    [InlineData(ZAiErrorReason.NotFound, "task id")]
    [InlineData(ZAiErrorReason.EndpointNotFound, "/api")]
    [InlineData(ZAiErrorReason.UsageLimitReached, "reset")]
    [InlineData(ZAiErrorReason.RateLimited, "-MaximumRetryCount")]
    [InlineData(ZAiErrorReason.Timeout, "Try again")]
    [InlineData(ZAiErrorReason.DuplicateRequest, "omit -RequestId")]
    [InlineData(ZAiErrorReason.SubmissionOutcomeUnknown, "Z.AI console")]
    [InlineData(ZAiErrorReason.TaskIdLost, "by its request id in the Z.AI console")]
    public void ActionableReasonsCarryARecommendedAction(ZAiErrorReason reason, string hint)
    {
        var error = Error(reason);

        var record = ErrorRecords.FromException(error, "abc");

        Assert.NotNull(record.ErrorDetails);
        Assert.Equal(error.Message, record.ErrorDetails.Message);
        Assert.Contains(hint, record.ErrorDetails.RecommendedAction);
    }

    [Fact]
    public void TheRecommendationForAMissingKeyDoesNotRepeatTheMessage()
    {
        var error = new ZAiApiException(ZAiErrorReason.ApiKeyMissing, "No Z.AI API key is set. Run Connect-ZAi -ApiKey (Read-Host -AsSecureString) or set the ZAI_API_KEY environment variable.");

        var action = ErrorRecords.FromException(error, null).ErrorDetails.RecommendedAction;

        Assert.DoesNotContain("Connect-ZAi -ApiKey", action);
        Assert.DoesNotContain("ZAI_API_KEY", action);
    }

    [Fact]
    public void AUsageLimitWithAResetTimeSaysToComeBackThen()
    {
        var error = new ZAiApiException(ZAiErrorReason.UsageLimitReached, "limit", limitResetsAt: "2026-03-06 22:19:54");

        Assert.Contains("after the reset time", ErrorRecords.FromException(error, null).ErrorDetails.RecommendedAction);
    }

    [Fact]
    public void FromExceptionUsesFromApiForApiErrors()
    {
        var record = ErrorRecords.FromException(Error(ZAiErrorReason.RateLimited), "abc");

        Assert.Equal("ZAiRateLimited", record.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.LimitsExceeded, record.CategoryInfo.Category);
    }

    [Fact]
    public void FromExceptionMarksOtherExceptionsUnexpected()
    {
        var boom = new InvalidOperationException("boom");

        var record = ErrorRecords.FromException(boom, "abc");

        Assert.Equal("ZAiUnexpectedError", record.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.NotSpecified, record.CategoryInfo.Category);
        Assert.Same(boom, record.Exception);
        Assert.Equal("abc", record.TargetObject);
    }

    [Fact]
    public void InvalidIsAnInvalidArgumentWithTheGivenId()
    {
        var record = ErrorRecords.Invalid(ErrorTable.InvalidTaskId, "The task id is empty.", "");

        Assert.Equal("ZAiInvalidTaskId", record.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, record.CategoryInfo.Category);
        Assert.IsType<ArgumentException>(record.Exception);
        Assert.Equal("The task id is empty.", record.Exception.Message);
        Assert.Equal("", record.TargetObject);
        Assert.Equal("ZAiInvalidConfiguration", ErrorTable.InvalidConfiguration);
    }
}
