{{- define "atrium.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "atrium.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
app.kubernetes.io/part-of: atrium
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "atrium.selector" -}}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/name: {{ .component }}
{{- end -}}

{{- define "atrium.image" -}}
{{- printf "%s:%s" .image.repository (default .root.Chart.AppVersion .image.tag) -}}
{{- end -}}

{{- define "atrium.connectionsSecret" -}}{{ include "atrium.fullname" . }}-connections{{- end -}}
{{- define "atrium.keysSecret" -}}{{ default (printf "%s-registry-keys" (include "atrium.fullname" .)) .Values.encryption.existingSecret }}{{- end -}}

{{/*
The Secret key holding one half's registry URI: its own credential (least privilege: the API's
only reads the registry) when given, else the one both halves share. Called with
(dict "root" . "half" "api"|"operator").
*/}}
{{- define "atrium.registryKey" -}}
{{- $r := .root.Values.registry -}}
{{- if $r.existingSecret -}}
{{- if eq .half "api" }}{{ default $r.existingSecretKey $r.existingSecretApiKey }}{{ else }}{{ default $r.existingSecretKey $r.existingSecretOperatorKey }}{{ end -}}
{{- else -}}
{{- if and (eq .half "api") $r.apiMongoUri }}registry-api-uri{{ else if and (eq .half "operator") $r.operatorMongoUri }}registry-operator-uri{{ else }}registry-uri{{ end -}}
{{- end -}}
{{- end -}}

{{/*
Env shared by both halves: where the registry (with this half's credential) and Redis are, where
the keyring is mounted. Called with (dict "root" . "half" "api"|"operator").
*/}}
{{- define "atrium.sharedEnv" -}}
{{- $v := .root.Values -}}
- name: REGISTRY_MONGO_URI
  valueFrom:
    secretKeyRef:
      name: {{ default (include "atrium.connectionsSecret" .root) $v.registry.existingSecret }}
      key: {{ include "atrium.registryKey" . }}
- name: REGISTRY_DATABASE
  value: {{ $v.registry.database | quote }}
- name: REDIS_URL
  valueFrom:
    secretKeyRef:
      name: {{ default (include "atrium.connectionsSecret" .root) $v.redis.existingSecret }}
      key: {{ if $v.redis.existingSecret }}{{ $v.redis.existingSecretKey }}{{ else }}redis-url{{ end }}
{{- with $v.redis.username }}
- name: REDIS_USERNAME
  value: {{ . | quote }}
{{- end }}
{{- with $v.redis.passwordSecret }}
{{- if .name }}
- name: REDIS_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .name }}
      key: {{ .key }}
{{- end }}
{{- end }}
- name: ATRIUM_REGISTRY_KEYS_DIR
  value: /etc/atrium/registry-keys
{{- end -}}

{{/*
The X-Forwarded-For hops the API trusts: api.trustProxyHops when given (0 included); unset, exactly
the hop of the chart's Ingress or HTTPRoute when one is enabled, else none.
*/}}
{{- define "atrium.trustProxyHops" -}}
{{- $hops := .Values.api.trustProxyHops -}}
{{- if kindIs "invalid" $hops -}}
{{- if or .Values.ingress.enabled .Values.httpRoute.enabled }}1{{ else }}0{{ end -}}
{{- else -}}
{{- int $hops -}}
{{- end -}}
{{- end -}}

{{- define "atrium.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 65532
runAsGroup: 65532
fsGroup: 65532
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "atrium.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: [ALL]
{{- end -}}
