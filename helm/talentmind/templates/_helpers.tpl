{{/*
Names, labels and the pieces every service's Deployment and Service share.
Helpers that take a dict expect "root" (the top-level context) and "component" (gateway, transcriber ...).
*/}}

{{- define "talentmind.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "talentmind.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* <fullname>-<component>, e.g. talentmind-gateway. */}}
{{- define "talentmind.componentName" -}}
{{- printf "%s-%s" (include "talentmind.fullname" .root) .component | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "talentmind.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "talentmind.labels" -}}
helm.sh/chart: {{ include "talentmind.chart" . }}
app.kubernetes.io/name: {{ include "talentmind.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: talentmind
{{- end -}}

{{- define "talentmind.componentLabels" -}}
{{ include "talentmind.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "talentmind.selectorLabels" -}}
app.kubernetes.io/name: {{ include "talentmind.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* Image reference: dict "root" . "image" <{repository, tag}>; tag defaults to image.tag, then appVersion. */}}
{{- define "talentmind.image" -}}
{{- $root := .root -}}
{{- $repo := required "an image repository is required" .image.repository -}}
{{- $tag := .image.tag | default $root.Values.image.tag | default $root.Chart.AppVersion -}}
{{- if $root.Values.image.registry -}}
{{- printf "%s/%s:%s" (trimSuffix "/" $root.Values.image.registry) $repo (toString $tag) -}}
{{- else -}}
{{- printf "%s:%s" $repo (toString $tag) -}}
{{- end -}}
{{- end -}}

{{/* --- configuration ------------------------------------------------------------------------------------ */}}

{{- define "talentmind.configName" -}}
{{- include "talentmind.componentName" (dict "root" . "component" "config") -}}
{{- end -}}

{{- define "talentmind.databaseSecretName" -}}
{{- if .Values.database.existingSecret -}}
{{- .Values.database.existingSecret -}}
{{- else -}}
{{- include "talentmind.componentName" (dict "root" . "component" "db") -}}
{{- end -}}
{{- end -}}

{{- define "talentmind.databaseSecretKey" -}}
{{- if .Values.database.existingSecret -}}
{{- .Values.database.existingSecretKey | default "TM_DATABASE_URL" -}}
{{- else -}}
TM_DATABASE_URL
{{- end -}}
{{- end -}}

{{/* The secret that signs report links: a Secret the chart keeps (generated once), or one the operator manages. */}}
{{- define "talentmind.reportLinksSecretName" -}}
{{- if .Values.reportLinks.existingSecret -}}
{{- .Values.reportLinks.existingSecret -}}
{{- else -}}
{{- include "talentmind.componentName" (dict "root" . "component" "report-links") -}}
{{- end -}}
{{- end -}}

{{- define "talentmind.reportLinksSecretKey" -}}
{{- if .Values.reportLinks.existingSecret -}}
{{- .Values.reportLinks.existingSecretKey | default "TM_REPORT_LINK_SECRET" -}}
{{- else -}}
TM_REPORT_LINK_SECRET
{{- end -}}
{{- end -}}

{{/* The DSN for a Secret the chart creates. */}}
{{- define "talentmind.databaseUrl" -}}
{{- required "database.url (or database.existingSecret) is required: TalentMind needs an external PostgreSQL" .Values.database.url -}}
{{- end -}}

{{/* TM_PUBLIC_BASE_URL: config.publicBaseUrl, else the first ingress host, else the gateway's Service URL. */}}
{{- define "talentmind.publicBaseUrl" -}}
{{- if .Values.config.publicBaseUrl -}}
{{- .Values.config.publicBaseUrl | trimSuffix "/" -}}
{{- else if and .Values.ingress.enabled .Values.ingress.hosts -}}
{{- $host := (first .Values.ingress.hosts).host -}}
{{- printf "%s://%s" (ternary "https" "http" (not (empty .Values.ingress.tls))) $host -}}
{{- else -}}
{{- printf "http://%s.%s.svc:%v" (include "talentmind.componentName" (dict "root" . "component" "gateway")) .Release.Namespace .Values.gateway.service.port -}}
{{- end -}}
{{- end -}}

{{/*
The non-secret TM_* settings as a YAML map of strings: the ConfigMap's data, and the migration Job's env
(the hook runs before the ConfigMap of a first install exists).
*/}}
{{- define "talentmind.configData" -}}
{{- $c := .Values.config -}}
{{- if not (has $c.logFormat (list "json" "text")) -}}
{{- fail (printf "config.logFormat must be json or text, not %v" $c.logFormat) -}}
{{- end -}}
{{- if not (has $c.traceExporter (list "none" "console" "otlp")) -}}
{{- fail (printf "config.traceExporter must be none, console or otlp, not %v" $c.traceExporter) -}}
{{- end -}}
{{- $data := dict
  "TM_KAFKA_BOOTSTRAP" (required "config.kafkaBootstrap is required: TalentMind needs an external Kafka" $c.kafkaBootstrap)
  "TM_TOPIC_PREFIX" ($c.topicPrefix | default "")
  "TM_TOPIC_PARTITIONS" $c.topicPartitions
  "TM_TOPIC_REPLICATION" $c.topicReplication
  "TM_DB_POOL_MIN" $c.dbPoolMin
  "TM_DB_POOL_MAX" $c.dbPoolMax
  "TM_LOG_LEVEL" $c.logLevel
  "TM_LOG_FORMAT" $c.logFormat
  "TM_TRACE_EXPORTER" $c.traceExporter
  "TM_TRACE_ENDPOINT" $c.traceEndpoint
  "TM_PUBLIC_BASE_URL" (include "talentmind.publicBaseUrl" .)
  "TM_ALLOW_PRIVATE_TARGETS" (ternary "true" "false" (eq (toString $c.allowPrivateTargets) "true"))
-}}
{{- $data = merge (deepCopy ($c.extra | default dict)) $data -}}
{{- range $key, $value := $data }}
{{- /* Helm reads numbers from values as float64: print whole ones as integers (1048576, not 1.048576e+06). */}}
{{- if and (kindIs "float64" $value) (eq $value (floor $value)) }}
{{ $key }}: {{ $value | int64 | toString | quote }}
{{- else }}
{{ $key }}: {{ $value | toString | quote }}
{{- end }}
{{- end }}
{{- end -}}

{{/* The migration Job's env: dict "env" <configData map> "secret" NAME "key" KEY. */}}
{{- define "talentmind.migrateEnv" -}}
{{- range $key, $value := .env }}
- name: {{ $key }}
  value: {{ $value | toString | quote }}
{{- end }}
- name: TM_DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ .secret }}
      key: {{ .key }}
{{- end -}}

{{/* --- per-service Pod pieces: dict "root" . "component" NAME ------------------------------------------------ */}}

{{/* The service's resources, plus the GPU limit when transcriber.gpu (or any service's gpu) is on. */}}
{{- define "talentmind.resources" -}}
{{- $svc := index .root.Values .component -}}
{{- $gpu := $svc.gpu | default dict -}}
{{- $res := deepCopy ($svc.resources | default dict) -}}
{{- if $gpu.enabled -}}
{{- $limits := deepCopy (get $res "limits" | default dict) -}}
{{- $_ := set $limits ($gpu.resourceName | default "nvidia.com/gpu") ($gpu.count | default 1) -}}
{{- $_ := set $res "limits" $limits -}}
{{- end -}}
{{- toYaml $res -}}
{{- end -}}

{{/* TM_ASR_MODEL for a models volume: asrModel when absolute, else <mountPath>/<asrModel>. */}}
{{- define "talentmind.asrModelPath" -}}
{{- if hasPrefix "/" .asrModel -}}
{{- .asrModel -}}
{{- else -}}
{{- printf "%s/%s" (trimSuffix "/" .mountPath) .asrModel -}}
{{- end -}}
{{- end -}}

{{/* A Deployment for one service. */}}
{{- define "talentmind.deployment" -}}
{{- $root := .root -}}
{{- $name := .component -}}
{{- $svc := index $root.Values $name -}}
{{- $gpu := $svc.gpu | default dict -}}
{{- $models := $svc.models | default dict -}}
{{- $hpa := $svc.autoscaling | default dict -}}
{{- $probes := mergeOverwrite (deepCopy $root.Values.probes) (deepCopy ($svc.probes | default dict)) -}}
{{- $nodeSelector := deepCopy ($svc.nodeSelector | default dict) -}}
{{- $tolerations := $svc.tolerations | default list -}}
{{- if $gpu.enabled -}}
{{- $nodeSelector = merge $nodeSelector (deepCopy ($gpu.nodeSelector | default dict)) -}}
{{- $tolerations = concat $tolerations ($gpu.tolerations | default list) -}}
{{- end -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "talentmind.componentName" . }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "talentmind.componentLabels" . | nindent 4 }}
spec:
  {{- if not $hpa.enabled }}
  replicas: {{ $svc.replicaCount }}
  {{- end }}
  revisionHistoryLimit: {{ $root.Values.revisionHistoryLimit }}
  {{- with $svc.strategy }}
  strategy:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  selector:
    matchLabels:
      {{- include "talentmind.selectorLabels" . | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "talentmind.selectorLabels" . | nindent 8 }}
        app.kubernetes.io/part-of: talentmind
        {{- with $root.Values.podLabels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      annotations:
        checksum/config: {{ include "talentmind.configData" $root | sha256sum }}
        {{- if not $root.Values.database.existingSecret }}
        checksum/database: {{ include "talentmind.databaseUrl" $root | sha256sum }}
        {{- end }}
        {{- if $root.Values.metrics.podAnnotations }}
        prometheus.io/scrape: "true"
        prometheus.io/port: {{ $svc.port | quote }}
        prometheus.io/path: /metrics
        {{- end }}
        {{- with $svc.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      {{- with $root.Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $root.Values.serviceAccountName }}
      serviceAccountName: {{ . }}
      {{- end }}
      automountServiceAccountToken: false
      {{- with $root.Values.podSecurityContext }}
      securityContext:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      terminationGracePeriodSeconds: {{ $svc.terminationGracePeriodSeconds | default 30 }}
      {{- if and $gpu.enabled $gpu.runtimeClassName }}
      runtimeClassName: {{ $gpu.runtimeClassName }}
      {{- end }}
      containers:
        - name: {{ $name }}
          image: {{ include "talentmind.image" (dict "root" $root "image" $svc.image) | quote }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          ports:
            - name: http
              containerPort: {{ $svc.port }}
              protocol: TCP
          envFrom:
            - configMapRef:
                name: {{ include "talentmind.configName" $root }}
          env:
            - name: TM_{{ upper $name }}_HOST
              value: "0.0.0.0"
            - name: TM_{{ upper $name }}_PORT
              value: {{ $svc.port | quote }}
            - name: TM_DATABASE_URL
              valueFrom:
                secretKeyRef:
                  name: {{ include "talentmind.databaseSecretName" $root }}
                  key: {{ include "talentmind.databaseSecretKey" $root }}
            # Every service builds report links (API answers, report.ready, webhooks): all sign with one secret.
            - name: TM_REPORT_LINK_SECRET
              valueFrom:
                secretKeyRef:
                  name: {{ include "talentmind.reportLinksSecretName" $root }}
                  key: {{ include "talentmind.reportLinksSecretKey" $root }}
            {{- if $models.enabled }}
            # Read by the transcriber: the model directory inside the read-only models volume.
            - name: TM_ASR_MODEL
              value: {{ include "talentmind.asrModelPath" $models | quote }}
            {{- end }}
            {{- with $svc.extraEnv }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          startupProbe:
            httpGet:
              path: /healthz
              port: http
            {{- toYaml $probes.startup | nindent 12 }}
          livenessProbe:
            httpGet:
              path: /healthz
              port: http
            {{- toYaml $probes.liveness | nindent 12 }}
          readinessProbe:
            httpGet:
              path: /readyz
              port: http
            {{- toYaml $probes.readiness | nindent 12 }}
          resources:
            {{- include "talentmind.resources" . | nindent 12 }}
          {{- with $root.Values.securityContext }}
          securityContext:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
            {{- if $models.enabled }}
            - name: models
              mountPath: {{ $models.mountPath | default "/models" }}
              readOnly: true
            {{- end }}
      volumes:
        - name: tmp
          emptyDir: {}
        {{- if $models.enabled }}
        - name: models
          {{- $pvc := $models.persistentVolumeClaim | default dict }}
          {{- $hostPath := $models.hostPath | default dict }}
          {{- if $pvc.claimName }}
          persistentVolumeClaim:
            claimName: {{ $pvc.claimName }}
            readOnly: true
          {{- else if $hostPath.path }}
          hostPath:
            path: {{ $hostPath.path }}
            type: {{ $hostPath.type | default "Directory" }}
          {{- else }}
          {{- fail (printf "%s.models.enabled needs models.persistentVolumeClaim.claimName or models.hostPath.path" $name) }}
          {{- end }}
        {{- end }}
      {{- with $nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $svc.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $svc.topologySpreadConstraints }}
      topologySpreadConstraints:
        {{- toYaml . | nindent 8 }}
      {{- end }}
{{- end -}}

{{/* A ClusterIP (or other type) Service in front of one service's port. */}}
{{- define "talentmind.service" -}}
{{- $root := .root -}}
{{- $svc := index $root.Values .component -}}
{{- $service := $svc.service | default dict -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "talentmind.componentName" . }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "talentmind.componentLabels" . | nindent 4 }}
  {{- with $service.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  type: {{ $service.type | default "ClusterIP" }}
  selector:
    {{- include "talentmind.selectorLabels" . | nindent 4 }}
  ports:
    - name: http
      port: {{ $service.port | default $svc.port }}
      targetPort: http
      protocol: TCP
{{- end -}}
