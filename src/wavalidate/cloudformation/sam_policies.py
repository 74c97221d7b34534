"""SAM policy templates (`- SQSPollerPolicy: {QueueName: ...}`) as the IAM statements SAM writes for them.

The statements follow SAM's policy_templates.json; a template not listed here
becomes a policy whose content is unknown (an `Fn::Transform` the reader does
not expand), so the role reads as unknown rather than as allowing less.
"""
from __future__ import annotations

from typing import Any

REGION = "arn:${AWS::Partition}:%s:${AWS::Region}:${AWS::AccountId}:"
DYNAMODB_READ = ["dynamodb:GetItem", "dynamodb:Scan", "dynamodb:Query", "dynamodb:BatchGetItem",
                 "dynamodb:DescribeTable"]
DYNAMODB_WRITE = ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem"]
S3_READ = ["s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation", "s3:GetObjectVersion",
           "s3:GetLifecycleConfiguration"]
S3_WRITE = ["s3:PutObject", "s3:PutObjectAcl", "s3:PutLifecycleConfiguration"]
TABLE = [REGION % "dynamodb" + "table/${tableName}", REGION % "dynamodb" + "table/${tableName}/index/*"]
BUCKET = ["arn:${AWS::Partition}:s3:::${bucketName}", "arn:${AWS::Partition}:s3:::${bucketName}/*"]
QUEUE = [REGION % "sqs" + "${queueName}"]

# template -> (its parameters: SAM's name -> the variable in the ARNs, [(actions, resources)])
TEMPLATES: dict[str, tuple[dict, list]] = {
    "SQSPollerPolicy": ({"QueueName": "queueName"}, [(
        ["sqs:ChangeMessageVisibility", "sqs:ChangeMessageVisibilityBatch", "sqs:DeleteMessage",
         "sqs:DeleteMessageBatch", "sqs:GetQueueAttributes", "sqs:ReceiveMessage"], QUEUE)]),
    "SQSSendMessagePolicy": ({"QueueName": "queueName"}, [(["sqs:SendMessage*"], QUEUE)]),
    "DynamoDBCrudPolicy": ({"TableName": "tableName"}, [(
        DYNAMODB_READ[:4] + ["dynamodb:DeleteItem"] + DYNAMODB_WRITE + ["dynamodb:DescribeTable",
                                                                        "dynamodb:ConditionCheckItem"], TABLE)]),
    "DynamoDBReadPolicy": ({"TableName": "tableName"}, [(DYNAMODB_READ, TABLE)]),
    "DynamoDBWritePolicy": ({"TableName": "tableName"}, [(DYNAMODB_WRITE, TABLE)]),
    "DynamoDBStreamReadPolicy": ({"TableName": "tableName", "StreamName": "streamName"}, [
        (["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"],
         [REGION % "dynamodb" + "table/${tableName}/stream/${streamName}"]),
        (["dynamodb:ListStreams"], [REGION % "dynamodb" + "table/${tableName}/stream/*"])]),
    "S3ReadPolicy": ({"BucketName": "bucketName"}, [(S3_READ, BUCKET)]),
    "S3WritePolicy": ({"BucketName": "bucketName"}, [(S3_WRITE, BUCKET)]),
    "S3CrudPolicy": ({"BucketName": "bucketName"}, [(S3_READ + S3_WRITE + ["s3:DeleteObject"], BUCKET)]),
    "SNSPublishMessagePolicy": ({"TopicName": "topicName"}, [(["sns:Publish"], [REGION % "sns" + "${topicName}"])]),
    "LambdaInvokePolicy": ({"FunctionName": "functionName"}, [
        (["lambda:InvokeFunction"], [REGION % "lambda" + "function:${functionName}*"])]),
    "KinesisStreamReadPolicy": ({"StreamName": "streamName"}, [
        (["kinesis:ListStreams", "kinesis:DescribeStreamSummary"], [REGION % "kinesis" + "stream/*"]),
        (["kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetRecords",
          "kinesis:GetShardIterator"], [REGION % "kinesis" + "stream/${streamName}"])]),
    "StepFunctionsExecutionPolicy": ({"StateMachineName": "stateMachineName"}, [
        (["states:StartExecution"], [REGION % "states" + "stateMachine:${stateMachineName}"])]),
    "EventBridgePutEventsPolicy": ({"EventBusName": "eventBusName"}, [
        (["events:PutEvents"], [REGION % "events" + "event-bus/${eventBusName}"])]),
    "SSMParameterReadPolicy": ({"ParameterName": "parameterName"}, [
        (["ssm:DescribeParameters"], ["*"]),
        (["ssm:GetParameters", "ssm:GetParameter", "ssm:GetParametersByPath"],
         [REGION % "ssm" + "parameter/${parameterName}"])]),
    "AWSSecretsManagerGetSecretValuePolicy": ({"SecretArn": "secretArn"}, [
        (["secretsmanager:GetSecretValue"], ["${secretArn}"])]),
    "KMSDecryptPolicy": ({"KeyId": "keyId"}, [(["kms:Decrypt"], [REGION % "kms" + "key/${keyId}"])]),
    "VPCAccessPolicy": ({}, [(["ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface",
                               "ec2:DescribeNetworkInterfaces", "ec2:DetachNetworkInterface"], ["*"])]),
    "CloudWatchPutMetricPolicy": ({}, [(["cloudwatch:PutMetricData"], ["*"])]),
}


def document(name: str, parameters: Any) -> dict:
    """The policy document of one template with its parameters, or one whose content is unknown."""
    known = TEMPLATES.get(name)
    given = parameters if isinstance(parameters, dict) else {}
    if known is None or any(key not in given for key in known[0]):
        return {"Fn::Transform": {"Name": "AWS::Serverless-2016-10-31", "Parameters": {"PolicyTemplate": name}}}
    variables = {variable: given[key] for key, variable in known[0].items()}
    statements = [{"Effect": "Allow", "Action": actions,
                   "Resource": [{"Fn::Sub": [arn, variables]} if "${" in arn.replace("${AWS::", "")
                                else {"Fn::Sub": arn} if "${" in arn else arn for arn in resources]}
                  for actions, resources in known[1]]
    return {"Version": "2012-10-17", "Statement": statements}
